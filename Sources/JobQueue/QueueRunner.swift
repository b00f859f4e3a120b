import Logging

/// Claims and runs the jobs of one queue up to its concurrency limit (River's producer).
struct QueueRunner: Sendable {
    let supervisor: Supervisor
    let queue: String
    let limit: Int

    private var configuration: Supervisor.Configuration { supervisor.configuration }
    private var wakeup: Wakeup { supervisor.wakeups[queue]! }

    func run() async {
        await withDiscardingTaskGroup { group in
            await claimUntilStopped(into: &group)
            await finishInFlight(group: &group)
        }
    }

    private func claimUntilStopped(into group: inout DiscardingTaskGroup) async {
        var backoff = Backoff()
        var busy = false
        while !supervisor.stopping.isSet && !Task.isCancelled {
            var free = limit - (await supervisor.inFlight.count(queue: queue))
            // While the queue is busy, let a share of the slots free up before claiming again,
            // so claims come in batches rather than one job per finished job.
            if busy && free < max(1, limit / 8) {
                await wakeup.wait(timeout: .milliseconds(5))
                continue
            }
            if free > 0 {
                do {
                    let jobs = try await supervisor.own.claim(queue: queue, limit: free, worker: configuration.workerID,
                                                              lease: configuration.lease)
                    supervisor.outage.succeeded()
                    backoff.reset()
                    for job in jobs {
                        await supervisor.inFlight.add(job)
                        group.addTask { await supervisor.executor.execute(job) }
                    }
                    free -= jobs.count
                    busy = !jobs.isEmpty && free == 0
                    if !jobs.isEmpty { continue }  // the queue may hold more
                } catch {
                    supervisor.outage.failed("claiming jobs of \(queue)", error)
                    await wakeup.wait(timeout: backoff.next())
                    continue
                }
            }
            await wakeup.wait(timeout: configuration.pollInterval)
        }
    }

    /// Graceful stop: the jobs in flight may finish within the deadline; the rest are
    /// cancelled, and their executors release them to the queue at once.
    private func finishInFlight(group: inout DiscardingTaskGroup) async {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.shutdownDeadline
        while !Task.isCancelled, await supervisor.inFlight.count(queue: queue) > 0, clock.now < deadline {
            await wakeup.wait(timeout: min(.milliseconds(100), deadline - clock.now))
        }
        if await supervisor.inFlight.count(queue: queue) > 0 { group.cancelAll() }
    }
}
