import CLibPQ
import Foundation

/// Limits the task running a statement puts on it.
public enum QueryLimits {
    /// The server-side `statement_timeout` for statements this task runs (nil: the server's
    /// default). The job queue sets it to the handler's timeout, so a query stuck on a lock or
    /// a slow plan ends on the server even if no one cancels it.
    @TaskLocal public static var statementTimeout: Duration?
}

/// Cancels the statement a connection is running, from any thread (`PQcancel` on the backend's
/// cancel key). Only a statement in progress is cancelled: a request made while the connection
/// is idle is dropped, so it cannot hit the next statement.
final class QueryCanceller: @unchecked Sendable {
    private let lock = NSLock()
    private var cancel: OpaquePointer?
    private var running = false

    func attach(_ conn: OpaquePointer) {
        lock.lock()
        defer { lock.unlock() }
        if let cancel { PQfreeCancel(cancel) }
        cancel = PQgetCancel(conn)
    }

    func forget() {
        lock.lock()
        defer { lock.unlock() }
        if let cancel { PQfreeCancel(cancel) }
        cancel = nil
        running = false
    }

    func begin() {
        lock.lock()
        running = true
        lock.unlock()
    }
    func end() {
        lock.lock()
        running = false
        lock.unlock()
    }

    /// Asks the server to cancel the statement in progress, if one is.
    func cancelRunning() {
        lock.lock()
        defer { lock.unlock() }
        guard running, let cancel else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }
}
