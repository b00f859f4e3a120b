import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// The pool's checkout timeout and the outage log's single line.
@Suite struct PoolAndLogTests {
    /// Defect 6: a caller that cannot get a connection fails after the checkout timeout instead
    /// of waiting forever behind work that holds every connection.
    @Test(.enabled(if: QueueTestDatabase.available)) func checkoutTimesOut() async throws {
        let pool = ConnectionPool(
            conninfo: try await QueueTestDatabase.create(), size: 1, checkoutTimeout: .milliseconds(200))
        let holder = Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(3)") } }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.query("SELECT 1") }
        }
        #expect(ContinuousClock.now - start < .seconds(2))
        holder.cancel()
        _ = try? await holder.value
        await pool.shutdown()
    }

    /// Defect 8: an outage is said once, and its end once, however many loops fail meanwhile.
    @Test func anOutageIsSaidOnce() {
        let lines = CapturedLines()
        let logger = Logger(label: "t") { _ in CapturingHandler(lines: lines) }
        let outage = OutageLog(logger: logger)
        for attempt in 0..<50 {
            outage.failed("claiming", PostgresError(kind: .connection, message: "refused \(attempt)"))
        }
        #expect(outage.isFailing)
        outage.succeeded()
        outage.succeeded()
        #expect(lines.all.map(\.level) == [.warning, .notice])
    }

    /// Backoff grows to its maximum and starts over after a success.
    @Test func backoffGrowsAndResets() {
        var backoff = Backoff()
        let waits = (0..<10).map { _ in backoff.next() }
        #expect(waits.first! <= .milliseconds(125))
        #expect(waits.last! >= .milliseconds(3750) && waits.last! <= .milliseconds(6250))
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(125))
    }
}

final class CapturedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(level: Logger.Level, message: String)] = []
    func add(_ level: Logger.Level, _ message: String) {
        lock.lock()
        lines.append((level, message))
        lock.unlock()
    }
    var all: [(level: Logger.Level, message: String)] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}

struct CapturingHandler: LogHandler {
    let lines: CapturedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        lines.add(level, message.description)
    }
}
