import ArgumentParser
import Foundation
import Logging

/// `bursar`: the administration CLI of Bursar.
public struct BursarCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bursar",
        abstract:
            "Scholarship application processing: submit batches, run the workers, read decisions, manage scholarships.",
        discussion: """
            The database is DATABASE_URL (a libpq connection string or URI); when it is unset, a private PostgreSQL \
            cluster under .bursar/ in the current directory is created, started and migrated on first use. \
            `--as NAME` (anywhere, or BURSAR_ACTOR) names the person acting in the audit trail. \
            BURSAR_PROGRAM names the default program when --program is left out.
            Example: bursar submit examples/tgp-2026-sample/batch.ndjson && bursar drain && bursar export decisions
            """,
        version: BursarVersion.text,
        subcommands: [
            Submit.self, Drain.self, Status.self, Show.self, Review.self, Export.self, Events.self, Payments.self,
            Flags.self,
            Partners.self, Exclusions.self, Duplicates.self, Documents.self, DB.self, Jobs.self, Queues.self,
            Bench.self,
            Audit.self, Accounts.self, ReplayCommand.self, WhatIfCommand.self, ProgramsCommand.self, Reports.self,
            ConsoleCommand.self,
        ])

    public init() {}
}

/// Error output and exit codes shared by the commands.
enum CLI {
    static func bootstrapLogging(level: Logger.Level = .warning) {
        let requested = ProcessInfo.processInfo.environment["BURSAR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = requested ?? level
            return handler
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// A usage error found by a command itself (an invalid value, options that cannot go
    /// together): prints `message` and gives exit 64 (EX_USAGE), the code of ArgumentParser's own
    /// checks, so that every bad argument exits alike (README, "Exit codes").
    static func usageError(_ message: String) -> ExitCode {
        printError(message)
        return ExitCode.validationFailure
    }

    /// The largest list or events file read whole (the partner list of 166 institutions is 40 KiB).
    static let maxTextFileBytes = 64 << 20

    /// A UTF-8 text file's contents; exit status 2 (with a message) when it cannot be read. Only
    /// a regular file of at most ``maxTextFileBytes`` is read: a device (`/dev/zero`) or a named
    /// pipe is refused by what it is, and reading never holds more than the cap.
    static func readText(_ file: String) throws -> String {
        // O_NONBLOCK: a named pipe is refused below instead of waiting for a writer.
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            let reason = String(cString: strerror(code))
            printError(code == ENOENT ? "\(file) does not exist" : "cannot read \(file): \(reason)")
            throw ExitCode(2)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            printError("cannot read \(file): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            printError("\(file) is a folder, not a file")
            throw ExitCode(2)
        default:
            printError("\(file) is a device, a pipe or a socket, not a regular file: name the file itself")
            throw ExitCode(2)
        }
        let tooLarge = "\(file) is larger than \(maxTextFileBytes >> 20) MiB, the most a list or events file may be"
        guard Int(info.st_size) <= maxTextFileBytes else {
            printError(tooLarge)
            throw ExitCode(2)
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                printError("cannot read \(file): \(String(cString: strerror(errno)))")
                throw ExitCode(2)
            }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
            // A file that grows while it is read is held to the same cap.
            guard data.count <= maxTextFileBytes else {
                printError(tooLarge)
                throw ExitCode(2)
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            printError("\(file) is not UTF-8 text")
            throw ExitCode(2)
        }
        return text
    }

    /// A list file read and parsed by `parse`; exit status 3 (with the parser's problems) when it
    /// does not parse, 2 when it cannot be read. Nothing is imported from a file that fails.
    static func readList<T>(_ file: String, _ parse: (String) throws -> T) throws -> T {
        let text = try readText(file)
        do { return try parse(text) } catch {
            printError("\(file) was not imported:\n\(error)")
            throw ExitCode(3)
        }
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}

/// Options every database command takes.
struct ProgramOption: ParsableArguments {
    @Option(name: .long, help: "The program id (e.g. tgp-2026); default BURSAR_PROGRAM, or the only program there is.")
    var program: String?

    /// `BURSAR_PROGRAM`, the default program when `--program` is left out (interface §5).
    static var environmentDefault: String? {
        ProcessInfo.processInfo.environment["BURSAR_PROGRAM"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Parses the arguments and runs the chosen command, async or not (the entry point of both
/// executables).
public enum CommandMain {
    public static func run<Root: ParsableCommand>(_ root: Root.Type) async -> Never {
        do {
            // `--as NAME` is accepted anywhere, for every command (the audit trail's who).
            var command = try root.parseAsRoot(ActorOption.extract(from: Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            root.exit()
        } catch {
            root.exit(withError: error)
        }
    }
}
