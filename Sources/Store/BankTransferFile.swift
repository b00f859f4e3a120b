import Foundation

/// The bank-transfer CSV of one payment run (interface §3): written once, from committed rows,
/// readable by its owner only.
public enum BankTransferFile {
    public static let header = "applicant_id,family_name,given_name,month,amount_yen"

    /// The file's name: one per run, so a second run never overwrites the first.
    public static func name(program: String, month: String, runID: Int64) -> String {
        "\(program)-\(month)-run\(runID)-bank-transfer.csv"
    }

    /// The CSV text of `lines`.
    public static func text(_ lines: [PaymentStore.BankLine]) -> String {
        var text = header + "\n"
        for line in lines {
            text += [line.applicantID, line.familyName, line.givenName, line.month, String(line.yen)].map(cell).joined(separator: ",") + "\n"
        }
        return text
    }

    /// One CSV cell. A cell a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return) gets a leading apostrophe, the usual neutralisation:
    /// a name such as `=HYPERLINK(…)` reaches the bank's clerk as text.
    static func cell(_ text: String) -> String {
        let neutral = text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
        guard neutral.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return neutral }
        return "\"" + neutral.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes `text` as `folder/name` with mode 0600: into a temporary file first, then linked
    /// into place, so the file is whole or absent and an existing file is never replaced. When
    /// the file exists already (an earlier attempt of the same run wrote it) it is kept.
    public static func write(_ text: String, folder: URL, name: String) throws -> URL {
        try write(Array(text.utf8), folder: folder, name: name)
    }

    /// Writes `bytes` as `folder/name` (the Zengin file's JIS X 0201 bytes), as ``write(_:folder:name:)``.
    public static func write(_ bytes: [UInt8], folder: URL, name: String) throws -> URL {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BursarError.setup("cannot create the folder \(folder.path) for the bank-transfer file: \(error.localizedDescription)")
        }
        let target = folder.appendingPathComponent(name)
        let temporary = folder.appendingPathComponent(".\(name).\(getpid()).partial")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw BursarError.setup("cannot create \(temporary.path): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                let message = String(cString: strerror(errno))
                close(fd)
                unlink(temporary.path)
                throw BursarError.setup("cannot write \(temporary.path): \(message)")
            }
            written += n
        }
        let synced = fsync(fd) == 0
        close(fd)
        defer { unlink(temporary.path) }
        guard synced else { throw BursarError.setup("cannot write \(temporary.path) to disk") }
        if link(temporary.path, target.path) != 0 && errno != EEXIST {
            throw BursarError.setup("cannot write \(target.path): \(String(cString: strerror(errno)))")
        }
        return target
    }
}
