import Foundation

/// A file only its owner may read (mode 0600), created the way a payroll writes its files: a new
/// name is created exclusively (`O_CREAT|O_EXCL|O_NOFOLLOW`: an existing file or a planted
/// symlink is refused, never followed or reused), and a replaced file is written beside its
/// target and renamed over it, so it is whole or absent.
public final class PrivateFile: @unchecked Sendable {
    /// Where the file is.
    public let url: URL
    // Owned by this object: written and closed once, by one caller at a time.
    private var fd: Int32

    private init(url: URL, fd: Int32) {
        self.url = url
        self.fd = fd
    }

    /// Creates `url`, which must not exist.
    public static func create(_ url: URL) throws(BursarError) -> PrivateFile {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            let why = code == EEXIST ? "a file of that name exists already" : reason(code)
            throw .setup("cannot create \(url.path): \(why)")
        }
        // The mode asked for is masked by the umask; 0600 is what it must be.
        _ = fchmod(fd, 0o600)
        return PrivateFile(url: url, fd: fd)
    }

    /// Writes `text` (UTF-8), flushes it to disk and closes the file; on failure the file is removed.
    public func finish(_ text: String) throws(BursarError) {
        try finish(Array(text.utf8))
    }

    /// Writes `bytes`, flushes them to disk and closes the file; on failure the file is removed.
    public func finish(_ bytes: [UInt8]) throws(BursarError) {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let message = Self.reason(errno)
                abandon()
                throw .setup("cannot write \(url.path): \(message)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let message = Self.reason(errno)
            abandon()
            throw .setup("cannot write \(url.path) to disk: \(message)")
        }
        close(fd)
        fd = -1
    }

    /// Closes and removes the file (nothing was written to it that anyone should read).
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(url.path)
    }

    /// Writes `text` as `url` (mode 0600), replacing what is there: beside it first, then renamed
    /// into place. `url` naming a folder is refused in words.
    public static func replace(_ url: URL, with text: String) throws(BursarError) {
        try replace(url, with: Array(text.utf8))
    }

    /// Writes `bytes` as `url` (mode 0600), replacing what is there, as ``replace(_:with:)-(_,String)``.
    public static func replace(_ url: URL, with bytes: [UInt8]) throws(BursarError) {
        var info = stat()
        if stat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            let example = url.appendingPathComponent("export.csv").path
            throw .setup("\(url.path) is a folder; name a file in it, e.g. \(example)")
        }
        let folder = url.deletingLastPathComponent()
        let unique = "\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(unique)")
        let file = try create(temporary)
        try file.finish(bytes)
        guard rename(temporary.path, url.path) == 0 else {
            let message = reason(errno)
            unlink(temporary.path)
            throw .setup("cannot write \(url.path): \(message)")
        }
    }

    /// An errno in words.
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
