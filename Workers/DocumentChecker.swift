import Foundation
import Screening
import Store

/// Checks one document file of an application (interface §1): inside the batch folder after
/// resolving `..` and symlinks (anything else is refused and never read), a PDF, PNG or JPEG
/// by its first bytes, at most 20 MiB, and matching its sha256 — hashed while streaming.
public enum DocumentChecker {
    public static let maximumSize = 20 << 20

    public static func check(_ document: DocumentReference, batchFolder: String) -> DocumentCheck {
        DocumentCheck(type: document.type, file: document.file, problem: problem(document, batchFolder: batchFolder))
    }

    static func problem(_ document: DocumentReference, batchFolder: String) -> String? {
        if let lexical = DocumentPath.problem(with: document.file) { return lexical }
        let joined = (batchFolder as NSString).appendingPathComponent(document.file)
        guard let resolved = realpath(joined, nil) else { return "\(document.file) does not exist" }
        let path = String(cString: resolved)
        free(resolved)
        let root = batchFolder.hasSuffix("/") ? batchFolder : batchFolder + "/"
        guard path.hasPrefix(root) else { return "\(document.file) resolves outside the batch folder; it was not read" }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return "\(document.file) is not a regular file" }
        guard Int(info.st_size) <= maximumSize else { return "\(document.file) is larger than 20 MiB (\(info.st_size) bytes)" }
        guard let handle = FileHandle(forReadingAtPath: path) else { return "\(document.file) cannot be read" }
        defer { try? handle.close() }
        var hasher = SHA256()
        var first: [UInt8] = []
        var total = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { break }
            if first.count < 8 { first.append(contentsOf: chunk.prefix(8 - first.count)) }
            total += chunk.count
            if total > maximumSize { return "\(document.file) is larger than 20 MiB" }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        guard isAcceptedFormat(first) else { return "\(document.file) is not a PDF, PNG or JPEG file (by its first bytes)" }
        guard hasher.finalizeHex() == document.sha256.lowercased() else { return "\(document.file) does not match its sha256" }
        return nil
    }

    /// PDF (`%PDF-`), PNG (`89 50 4E 47 0D 0A 1A 0A`) or JPEG (`FF D8 FF`).
    static func isAcceptedFormat(_ head: [UInt8]) -> Bool {
        head.starts(with: Array("%PDF-".utf8)) || head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            || head.starts(with: [0xFF, 0xD8, 0xFF])
    }
}
