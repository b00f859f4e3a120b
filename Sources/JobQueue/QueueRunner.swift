import Logging

/// Claims and runs the jobs of one queue up to its concurrency limit (River's producer).
struct QueueRunner: Sendable {
    let supervisor: Supervisor
    let queue: String
    let limit: Int

    private var configuration: Supervisor.Configuration { supervisor.configuration }
    private var wakeup: Wakeup { supervisor.wakeups[queue]! }
    /// The longest a busy queue's free slots wait to be claimed as a batch.
    static let claimCooldown: Duration = .milliseconds(10)

    func run() async {
        await withDiscardingTaskGroup { group in
            await claimUntilStopped(into: &group)
            await finishInFlight(group: &group)
        }
    }

    private func claimUntilStopped(into group: inout DiscardingTaskGroup) async {
        var backoff = Backoff()
        var busy = false
        let clock = ContinuousClock()
        var lastClaim = clock.now
        while !supervisor.stopping.isSet && !Task.isCancelled {
            var free = limit - (await supervisor.inFlight.count(queue: queue))
            // While the queue is busy, claim once half the slots are free, or after a short
            // cooldown: claims come in batches rather than one per finished job (each claim is
            // a commit), and slow jobs still get their slots refilled within the cooldown.
            let cooldown = lastClaim + Self.claimCooldown
            if busy && free < max(1, limit / 2) && clock.now < cooldown {
                await wakeup.wait(timeout: cooldown - clock.now)
                continue
            }
            lastClaim = clock.now
            if free > 0 {
                do {
                    // The lease is counted from before the claim was sent: never later than the
                    // database counts it.
                    let validUntil = clock.now + configuration.lease - configuration.leaseMargin
                    let jobs = try await supervisor.own.claim(queue: queue, limit: free, worker: configuration.workerID,
                                                              lease: configuration.lease)
                    supervisor.outage.succeeded()
                    backoff.reset()
                    for job in jobs {
                        let token = await supervisor.inFlight.add(job, leaseValidUntil: validUntil)
                        group.addTask { await supervisor.executor.execute(job, token) }
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
