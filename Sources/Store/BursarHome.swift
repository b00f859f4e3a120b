import Foundation

/// Where the program data lives: the folder holding `db/` (migrations, programs, partner lists).
///
/// `BURSAR_HOME` names it; otherwise it is found by walking up from the executable (a build in
/// the repository) and then from the current directory.
public enum BursarHome {
    public static func locate() throws(BursarError) -> URL {
        if let env = ProcessInfo.processInfo.environment["BURSAR_HOME"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            guard hasData(url) else { throw BursarError.setup("BURSAR_HOME=\(env) has no db/migrations folder") }
            return url
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for start in [
            executable.deletingLastPathComponent(), URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        ] {
            var folder = start.standardizedFileURL
            for _ in 0..<8 {
                if hasData(folder) { return folder }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw BursarError.setup(
            "cannot find Bursar's db/ folder (migrations, programs); set BURSAR_HOME to the folder that holds it")
    }

    static func hasData(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("db/migrations").path)
    }
}

/// Errors a person can act on.
public enum BursarError: Error, CustomStringConvertible, Sendable {
    /// The installation or database is not ready (what to do is in the message).
    case setup(String)
    /// The input is wrong (what is wrong is in the message).
    case input(String)
    /// What was asked for does not exist.
    case notFound(String)

    public var description: String {
        switch self {
        case .setup(let m), .input(let m), .notFound(let m): return m
        }
    }
}
