import Foundation
import JobQueue
import Postgres

/// A fresh database with only the queue's schema, on the cluster `scripts/test.sh` starts.
enum QueueTestDatabase {
    static let adminURL = ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] ?? ""
    static var available: Bool { !adminURL.isEmpty }

    /// Creates a database, applies the queue's migrations and returns its connection string.
    static func create() async throws -> String {
        let url = try await createEmpty()
        let connection = try await Connection.connect(url)
        try await QueueSchema.migrate(on: connection)
        await connection.close()
        return url
    }

    /// Creates an empty database and returns its connection string.
    static func createEmpty() async throws -> String {
        let name = "bursar_q_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try await Connection.connect(adminURL)
        try await admin.simpleQuery("CREATE DATABASE \(name)")  // the name is generated here, not user data
        await admin.close()
        var parts = URLComponents(string: adminURL)!
        parts.path = "/" + name
        return parts.string!
    }

    /// Runs `body` and fails when it takes longer than `limit`: a hang becomes a failure, not a
    /// stuck suite (the body runs unstructured, so one that ignores cancellation cannot hold us).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws
        -> T
    {
        try await withCheckedThrowingContinuation { continuation in
            let once = OnceResume(continuation)
            let work = Task {
                do { once.resume(.success(try await body())) } catch { once.resume(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                once.resume(.failure(TimedOut(limit: limit)))
                work.cancel()
            }
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "did not finish within \(limit)" }
    }
}

/// Resumes a continuation once, whichever result comes first.
final class OnceResume<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    init(_ continuation: CheckedContinuation<T, Error>) { self.continuation = continuation }
    func resume(_ result: Result<T, Error>) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(with: result)
    }
}
