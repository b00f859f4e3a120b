import Foundation
import Screening
import Store

/// Checks one document file of an application (interface §1): inside the batch folder after
/// resolving `..` and symlinks (anything else is refused and never read), a PDF, PNG or JPEG
/// by its first bytes, at most 20 MiB, and matching its sha256 — hashed while streaming.
public enum DocumentChecker {
    public static let maximumSize = 20 << 20

    /// The check of `document`: its problem, if it has one. A failure of this machine rather than
    /// of the document (too many open files, an I/O error, no permission) throws: the job is
    /// retried, and no check — no decision — is recorded from it.
    public static func check(
        _ document: DocumentReference,
        batchFolder: String
    ) throws(DocumentReadError) -> DocumentCheck {
        DocumentCheck(
            type: document.type, file: document.file,
            problem: try problem(document, batchFolder: batchFolder))
    }

    static func problem(_ document: DocumentReference, batchFolder: String) throws(DocumentReadError) -> String? {
        if let lexical = DocumentPath.problem(with: document.file) { return lexical }
        let joined = (batchFolder as NSString).appendingPathComponent(document.file)
        guard let resolved = realpath(joined, nil) else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: return "\(document.file) does not exist"
            case ELOOP: return "\(document.file) resolves through a loop of symbolic links"
            default: throw DocumentReadError(type: document.type, code: code)
            }
        }
        let path = String(cString: resolved)
        free(resolved)
        let root = batchFolder.hasSuffix("/") ? batchFolder : batchFolder + "/"
        guard path.hasPrefix(root) else { return "\(document.file) resolves outside the batch folder; it was not read" }
        // Opened without following a last-moment symlink, and without blocking (a named pipe
        // would wait for a writer forever); size and kind are read from the open file itself, so
        // they describe the bytes that are hashed.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: return "\(document.file) does not exist"
            // A symlink put in place after the resolution, or a socket: not a document.
            case ELOOP, ENXIO: return "\(document.file) is not a regular file"
            default: throw DocumentReadError(type: document.type, code: code)
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DocumentReadError(type: document.type, code: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "\(document.file) is not a regular file" }
        guard Int(info.st_size) <= maximumSize else {
            return "\(document.file) is larger than 20 MiB (\(info.st_size) bytes)"
        }
        var hasher = SHA256()
        var head: [UInt8] = []
        var total = 0
        var readError: Int32?
        let failure: String? = withUnsafeTemporaryAllocation(byteCount: 1 << 16, alignment: 16) { buffer in
            while true {
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count < 0 {
                    readError = errno
                    return nil
                }
                if count == 0 { return nil }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                if head.count < 8 { head.append(contentsOf: chunk.prefix(8 - head.count)) }
                total += count
                if total > maximumSize { return "\(document.file) is larger than 20 MiB" }
                hasher.update(chunk)
            }
        }
        if let readError { throw DocumentReadError(type: document.type, code: readError) }
        if let failure { return failure }
        guard isAcceptedFormat(head) else {
            return "\(document.file) is not a PDF, PNG or JPEG file (by its first bytes)"
        }
        guard hasher.finalizeHex() == document.sha256.lowercased() else {
            return "\(document.file) does not match its sha256"
        }
        return nil
    }

    /// PDF (`%PDF-`), PNG (`89 50 4E 47 0D 0A 1A 0A`) or JPEG (`FF D8 FF`).
    static func isAcceptedFormat(_ head: [UInt8]) -> Bool {
        head.starts(with: Array("%PDF-".utf8)) || head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            || head.starts(with: [0xFF, 0xD8, 0xFF])
    }
}

/// A document this machine could not read (the errno in words; the file's name is not repeated:
/// it may hold the applicant's name). The documents job fails with it and is retried.
public struct DocumentReadError: Error, CustomStringConvertible {
    public let type: DocumentType
    public let code: Int32

    public var description: String {
        let reason = String(cString: strerror(code))
        return "a \(type.rawValue) document could not be read on this machine (\(reason)); the job is retried"
    }
}
