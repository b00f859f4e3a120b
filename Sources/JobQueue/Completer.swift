import Logging

/// Batches completions of jobs that have no database effects of their own, so a burst of
/// short jobs costs one UPDATE per batch instead of one per job.
actor Completer {
    private let client: JobQueueClient
    private let logger: Logger
    private var buffer: [ClaimedJob] = []
    private let batchSize: Int

    init(client: JobQueueClient, batchSize: Int = 500, logger: Logger) {
        self.client = client
        self.batchSize = batchSize
        self.logger = logger
    }

    func add(_ job: ClaimedJob) async {
        buffer.append(job)
        if buffer.count >= batchSize { await flush() }
    }

    /// Writes the buffered completions. On failure they stay buffered and are tried again.
    func flush() async {
        guard !buffer.isEmpty else { return }
        let batch = buffer
        buffer.removeAll(keepingCapacity: true)
        do {
            try await client.complete(batch)
        } catch {
            logger.warning("completing a batch failed; will retry", metadata: ["jobs": "\(batch.count)", "error": "\(error)"])
            buffer.insert(contentsOf: batch, at: 0)
        }
    }

    /// Flushes every few milliseconds until cancelled, then once more.
    func run(every seconds: Double) async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            await flush()
        }
        await flush()
    }

    var pending: Int { buffer.count }
}
