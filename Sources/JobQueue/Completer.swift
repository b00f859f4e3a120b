import Logging
import Postgres
import Synchronization

/// Batches completions of jobs that have no database effects of their own, so a burst of
/// short jobs costs one UPDATE per batch instead of one per job.
///
/// A flush takes everything buffered; it waits up to ``gather`` for a batch of ``batchSize``
/// to form (every commit costs a WAL flush, so a few large batches beat many small ones), and
/// what arrives while it writes waits for the next. An idle completer sleeps until a job
/// arrives (no ticking).
/// Buffered jobs are written within milliseconds; their leases are not renewed (a renewal
/// touching the rows a completion updates could deadlock with it), so in an outage longer than
/// a lease they are rescued and run again — they have no effects of their own.
actor Completer {
    private let pool: ConnectionPool
    private let outage: OutageLog
    /// Finished jobs not yet taken by a flush. Behind a lock, not the actor: every job adds
    /// itself here, and adding must not be a hop to the actor that is busy writing.
    private let buffer = Mutex<[ClaimedJob]>([])
    /// Jobs of the batches being written now (each flush owns its own batch: flushes may
    /// overlap across their `await`, and a failed one puts back exactly what it took).
    private var writing = 0
    /// ``finish()`` waiting for the batches in flight.
    private var writesDone: [CheckedContinuation<Void, Never>] = []
    private let wakeup = Wakeup()
    private let batchFull = Wakeup()
    private var backoff = Backoff()
    let batchSize: Int
    let gather: Duration

    init(pool: ConnectionPool, outage: OutageLog, batchSize: Int = 100, gather: Duration = .milliseconds(2)) {
        self.pool = pool
        self.outage = outage
        self.batchSize = batchSize
        self.gather = gather
    }

    nonisolated func add(_ job: ClaimedJob) {
        let count = buffer.withLock { buffer in
            buffer.append(job)
            return buffer.count
        }
        if count == 1 { wakeup.signal() }
        if count == batchSize { batchFull.signal() }
    }

    /// Writes what is buffered; true when nothing is left (or the write failed and it stays).
    ///
    /// The UPDATE runs in a task of its own: cancelling the completer (the end of a shutdown)
    /// must not cancel a batch already sent, or jobs that succeeded stay `running` and run again.
    @discardableResult
    func flush() async -> Bool {
        // At most a few batches per statement: a bounded join keeps the plan linear.
        let limit = batchSize * 5
        let batch = buffer.withLock { buffer in
            let batch = Array(buffer.prefix(limit))
            buffer.removeFirst(batch.count)
            return batch
        }
        guard !batch.isEmpty else { return true }
        writing += batch.count
        let pool = self.pool
        let result = await Task {
            try await pool.withConnection { try await QueueDriver.complete(batch, on: $0) }
        }.result
        writing -= batch.count
        if writing == 0 {
            for waiter in writesDone { waiter.resume() }
            writesDone.removeAll()
        }
        switch result {
        case .success:
            outage.succeeded()
            backoff.reset()
            return true
        case .failure(let error):
            outage.failed("completing \(batch.count) jobs", error)
            buffer.withLock { $0.insert(contentsOf: batch, at: 0) }
            return false
        }
    }

    /// Flushes whenever jobs arrive, until cancelled.
    func run() async {
        while !Task.isCancelled {
            if buffered == 0 { await wakeup.wait(timeout: .seconds(60)) }
            if buffered < batchSize { await batchFull.wait(timeout: gather) }
            if buffered == 0 { continue }
            if !(await flush()) {
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Writes everything left, trying a few times (shutdown), and waits for the batches
    /// ``run()`` is writing: the caller cancels ``run()`` next. A completion that cannot be
    /// written is left to the rescuer, which runs the job again after its lease lapses.
    func finish() async {
        var failures = 0
        while (buffered > 0 || writing > 0) && failures < 5 {
            if writing > 0 {
                await withCheckedContinuation { writesDone.append($0) }
            } else if !(await flush()) {
                failures += 1
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Jobs finished but not yet taken by a flush.
    private nonisolated var buffered: Int { buffer.withLock { $0.count } }

    /// Jobs finished but not yet written.
    var pendingCount: Int { buffered + writing }
}
