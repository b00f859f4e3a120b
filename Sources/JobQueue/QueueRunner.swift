import Logging

/// Claims and runs the jobs of one queue up to its concurrency limit (River's producer).
///
/// A busy queue is claimed by two lanes at once, each up to half the limit: a claim is a
/// round trip and a commit (a WAL flush), and with one lane the database sat idle while a
/// claim's jobs ran and the next claim waited for their slots; with two, one lane's claim is on
/// its way while the other's jobs run — as two connections claiming in a loop do (issue 22).
/// The second lane claims only while the queue's last claim got all it asked for, so an idle
/// queue woken by a NOTIFY costs one claim, not two. Both lanes reserve their slots in
/// ``InFlight`` before they claim: together they never hold more than the limit.
struct QueueRunner: Sendable {
    let supervisor: Supervisor
    let queue: String
    let limit: Int

    private var configuration: Supervisor.Configuration { supervisor.configuration }
    private var wakeup: Wakeup { supervisor.wakeups[queue]! }
    /// The longest a busy queue's free slots wait to be claimed as a batch.
    static let claimCooldown: Duration = .milliseconds(10)
    /// Claim lanes of a queue whose limit allows two batches.
    private var lanes: Int { limit >= 2 ? 2 : 1 }
    /// The most one claim asks for: half the limit with two lanes.
    private var batch: Int { (limit + lanes - 1) / lanes }

    func run() async {
        await withDiscardingTaskGroup { lanesGroup in
            for lane in 0..<lanes {
                lanesGroup.addTask { await claimUntilStopped(lane: lane) }
            }
        }
        await finishInFlight()
    }

    private func claimUntilStopped(lane: Int) async {
        var backoff = Backoff()
        var busy = false
        let clock = ContinuousClock()
        var lastClaim = clock.now
        while !supervisor.stopping.isSet && !Task.isCancelled {
            // The second lane joins only while the queue is busy.
            if lane > 0, !supervisor.inFlight.isBusy(queue: queue) {
                busy = false
                await wakeup.wait(timeout: configuration.pollInterval)
                continue
            }
            // While the queue is busy, claim once a batch's worth of slots is free, or after a
            // short cooldown: claims come in batches rather than one per finished job (each
            // claim is a commit), and slow jobs still get their slots refilled within the cooldown.
            let cooldown = lastClaim + Self.claimCooldown
            let waitForBatch = busy && clock.now < cooldown
            let reservation = supervisor.inFlight.reserve(
                queue: queue, limit: limit, atMost: batch, atLeast: waitForBatch ? max(1, batch / 2) : 1)
            if reservation == 0 {
                await wakeup.wait(timeout: waitForBatch ? cooldown - clock.now : configuration.pollInterval)
                if !waitForBatch { busy = false }
                continue
            }
            lastClaim = clock.now
            do {
                // The lease is counted from before the claim was sent: never later than the
                // database counts it.
                let validUntil = clock.now + configuration.lease - configuration.leaseMargin
                let jobs = try await supervisor.own.claim(
                    queue: queue, limit: reservation,
                    worker: configuration.workerID, lease: configuration.lease)
                supervisor.outage.succeeded()
                backoff.reset()
                let tokens = supervisor.inFlight.add(
                    jobs, queue: queue, reservation: reservation, leaseValidUntil: validUntil)
                for (job, token) in zip(jobs, tokens) {
                    supervisor.executor.start(job, token)
                }
                // All it asked for: the queue may hold more — and the second lane joins at once.
                let wasBusy = busy
                busy = jobs.count == reservation
                if lane == 0 && busy && !wasBusy { wakeup.signal() }
                if !busy { await wakeup.wait(timeout: configuration.pollInterval) }
            } catch {
                supervisor.inFlight.cancelReservation(queue: queue, reservation: reservation)
                supervisor.outage.failed("claiming jobs of \(queue)", error)
                await wakeup.wait(timeout: backoff.next())
            }
        }
    }

    /// Graceful stop: the jobs in flight may finish within the deadline; the rest are
    /// cancelled, and their executors release them to the queue at once. A run that does not
    /// stop within ``Supervisor/Configuration/abandonAfter`` of its cancel (blocking work on a
    /// thread cannot be cancelled) is not waited for: it is left to its lease and logged, so
    /// the process's exit is bounded.
    private func finishInFlight() async {
        let clock = ContinuousClock()
        await waitForLiveRuns(until: clock.now + configuration.shutdownDeadline)
        guard supervisor.inFlight.live(queue: queue) > 0 else { return }
        supervisor.inFlight.cancelRuns(queue: queue)
        // The waits below in tasks of their own: this one may be cancelled, and they must still
        // take place.
        let abandonAfter = configuration.abandonAfter
        await Task { await waitForLiveRuns(until: clock.now + abandonAfter) }.value
        let abandoned = supervisor.inFlight.abandon(queue: queue)
        supervisor.executor.abandoned(abandoned, after: abandonAfter)
        // The ends still being written (a release, a fail) are waited for: each is bounded by
        // its retries, and the completer must not finish before a completion reaches it.
        await Task { await waitForLiveRuns(until: nil) }.value
    }

    /// Waits until the queue has no run in flight or being recorded, `deadline` passes (nil:
    /// none) or this task is cancelled; the run that ends the last one wakes it.
    private func waitForLiveRuns(until deadline: ContinuousClock.Instant?) async {
        let clock = ContinuousClock()
        while !Task.isCancelled, supervisor.inFlight.live(queue: queue) > 0 {
            let left = deadline.map { clock.now.duration(to: $0) } ?? .milliseconds(100)
            guard left > .zero else { return }
            await wakeup.wait(timeout: min(.milliseconds(100), left))
        }
    }
}
