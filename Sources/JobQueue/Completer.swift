import Logging
import Postgres

/// Batches completions of jobs that have no database effects of their own, so a burst of
/// short jobs costs one UPDATE per batch instead of one per job.
///
/// Batches form by themselves: a flush takes everything buffered, and what arrives while it
/// runs waits for the next one. An idle completer sleeps until a job arrives (no ticking).
/// Buffered jobs keep their leases renewed (``pending``) until they are written.
actor Completer {
    private let pool: ConnectionPool
    private let outage: OutageLog
    private var buffer: [ClaimedJob] = []
    private var writing: [ClaimedJob] = []
    private let wakeup = Wakeup()
    private var backoff = Backoff()

    init(pool: ConnectionPool, outage: OutageLog) {
        self.pool = pool
        self.outage = outage
    }

    func add(_ job: ClaimedJob) async {
        buffer.append(job)
        if buffer.count == 1 { await wakeup.signal() }
    }

    /// Writes what is buffered; true when nothing is left (or the write failed and it stays).
    @discardableResult
    func flush() async -> Bool {
        guard !buffer.isEmpty else { return true }
        writing = buffer
        buffer.removeAll(keepingCapacity: true)
        do {
            let batch = writing
            _ = try await pool.withConnection { try await QueueDriver.complete(batch, on: $0) }
            writing.removeAll(keepingCapacity: true)
            outage.succeeded()
            backoff.reset()
            return true
        } catch {
            outage.failed("completing \(writing.count) jobs", error)
            buffer.insert(contentsOf: writing, at: 0)
            writing.removeAll()
            return false
        }
    }

    /// Flushes whenever jobs arrive, until cancelled.
    func run() async {
        while !Task.isCancelled {
            if buffer.isEmpty { await wakeup.wait(timeout: .seconds(60)) }
            if !(await flush()) {
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Writes everything left, trying a few times (shutdown): a completion that cannot be
    /// written is left to the rescuer, which runs the job again after its lease lapses.
    func finish() async {
        for _ in 0..<5 {
            if await flush() { return }
            try? await Task.sleep(for: backoff.next())
        }
    }

    /// Jobs finished but not yet written (their leases are still renewed).
    var pending: [ClaimedJob] { buffer + writing }
}
