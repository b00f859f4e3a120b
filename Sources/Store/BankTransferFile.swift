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
            text +=
                [line.applicantID, line.familyName, line.givenName, line.month, String(line.yen)].map(cell).joined(
                    separator: ",") + "\n"
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

    /// The configured folder, made safe to write bank files into: created (mode 0700) when it is
    /// missing and its parent exists, and refused when it is not a folder, not this user's, or
    /// writable by group or others — anyone who may write there could plant the next run's file.
    public static func checkFolder(_ folder: URL) throws(BursarError) -> URL {
        if mkdir(folder.path, 0o700) != 0 && errno != EEXIST {
            throw .setup(
                "cannot create the folder \(folder.path) for bank-transfer files: "
                    + "\(PrivateFile.reason(errno)); create it (mode 0700) or choose another with --folder")
        }
        guard let resolved = realpath(folder.path, nil) else {
            throw .setup("cannot open the folder \(folder.path): \(PrivateFile.reason(errno))")
        }
        let path = String(cString: resolved)
        free(resolved)
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .setup("\(folder.path) is not a folder; --folder names the folder bank-transfer files go into")
        }
        guard info.st_uid == geteuid() else {
            throw .setup(
                "the folder \(path) belongs to another user; bank-transfer files go only into a folder "
                    + "of the user running the payment run")
        }
        guard info.st_mode & 0o022 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw .setup(
                "the folder \(path) may be written by group or others (mode \(mode)), "
                    + "who could plant a bank-transfer file there; run `chmod go-w \(path)` and run again")
        }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Creates the (empty) file of a new run under its own name in `folder`, inside the run's
    /// transaction, so that the run commits only when its name was free. A file of that name
    /// already there was not written by Bursar (the name holds a run id never used before): the
    /// run is refused and pays nothing.
    public static func reserve(folder: URL, name: String) throws(BursarError) -> PrivateFile {
        try checkName(name)
        let url = folder.appendingPathComponent(name)
        do {
            return try PrivateFile.create(url)
        } catch {
            var info = stat()
            guard lstat(url.path, &info) == 0 else { throw error }
            throw .setup(
                """
                a file named \(name) is already in \(folder.path), and Bursar did not write it (its run starts now). \
                Nothing was paid. Move it away, find out who put it there, and run again.
                """)
        }
    }

    /// The file of a committed run written again from its committed rows, under its own name in
    /// `folder` (whatever is there is replaced; a path stored anywhere is never used).
    public static func rewrite(_ bytes: [UInt8], folder: URL, name: String) throws(BursarError) -> URL {
        try checkName(name)
        let url = folder.appendingPathComponent(name)
        try PrivateFile.replace(url, with: bytes)
        return url
    }

    /// A file name, not a path: no folder part, not hidden.
    private static func checkName(_ name: String) throws(BursarError) {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.contains("\0") else {
            throw .setup("\(name) is not a plain file name; a program id may not contain / or start with a dot")
        }
    }
}
