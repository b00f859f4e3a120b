import Foundation
import Logging

/// Claims and runs the jobs of one queue up to its concurrency limit.
struct QueueRunner: Sendable {
    let supervisor: Supervisor
    let queue: String
    let limit: Int

    private var client: JobQueueClient { supervisor.client }
    private var logger: Logger { supervisor.logger }
    private var wakeup: Wakeup { supervisor.wakeups[queue]! }

    func run() async {
        await withDiscardingTaskGroup { group in
            var busy = false
            while !supervisor.stopping.isSet {
                // While the queue is busy, let a few slots free up before claiming again, so claims
                // come in batches rather than one job per finished job.
                if busy, limit - (await supervisor.inFlight.count(queue: queue)) < max(1, limit / 8) {
                    try? await Task.sleep(nanoseconds: 1_000_000)
                }
                let free = limit - (await supervisor.inFlight.count(queue: queue))
                var claimedAll = false
                if free > 0 {
                    do {
                        let jobs = try await client.claim(queue: queue, limit: free, worker: supervisor.configuration.workerID,
                                                          lease: supervisor.configuration.lease)
                        for job in jobs {
                            await supervisor.inFlight.add(job)
                            group.addTask { await self.execute(job) }
                        }
                        claimedAll = !jobs.isEmpty && jobs.count == free
                        busy = claimedAll
                        if !jobs.isEmpty && !claimedAll { continue }  // the queue may have more: claim again
                    } catch {
                        logger.warning("claiming failed; retrying", metadata: ["queue": "\(queue)", "error": "\(error)"])
                    }
                }
                await wakeup.wait(seconds: supervisor.configuration.pollInterval)
            }
            // Shutting down: let jobs in flight finish within the deadline, then cancel them.
            let deadline = Date().addingTimeInterval(supervisor.configuration.shutdownDeadline)
            while await supervisor.inFlight.count(queue: queue) > 0 && Date() < deadline {
                await wakeup.wait(seconds: 0.05)
            }
            if await supervisor.inFlight.count(queue: queue) > 0 { group.cancelAll() }
        }
    }

    private enum Ending {
        case succeeded
        case failed(Error)
        case timedOut
        case cancelRequested

        var outcome: JobMetrics.Outcome { switch self { case .succeeded: .completed; case .failed: .failed; case .timedOut: .timedOut; case .cancelRequested: .cancelled } }
    }

    private func execute(_ job: ClaimedJob) async {
        let started = ContinuousClock.now
        guard let handler = supervisor.registry.handlers[job.kind] else {
            await finish(job, .failed(JobCancel(reason: "no handler is registered for job kind \(job.kind)")), ledger: CompletionLedger())
            return
        }
        let ledger = CompletionLedger()
        let client = self.client
        let inFlight = supervisor.inFlight
        let ending: Ending = await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                do {
                    try await handler.run(job, client, ledger)
                    return .succeeded
                } catch {
                    return .failed(error)
                }
            }
            group.addTask {
                // Watchdog: the per-kind timeout and an operator's cancel request.
                let deadline = Date().addingTimeInterval(handler.timeout)
                while !Task.isCancelled {
                    if await inFlight.isCancelRequested(job.id) { return .cancelRequested }
                    if Date() >= deadline { return .timedOut }
                    try? await Task.sleep(nanoseconds: 200_000_000)
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failed(CancellationError())
        }
        JobMetrics.finished(kind: job.kind, outcome: ending.outcome, duration: started.duration(to: .now))
        await finish(job, ending, ledger: ledger)
    }

    private func finish(_ job: ClaimedJob, _ ending: Ending, ledger: CompletionLedger) async {
        var succeeded = false
        do {
            switch ending {
            case .succeeded:
                succeeded = true
                if !ledger.completedInline { await supervisor.completer.add(job) }
            case .timedOut:
                try await client.fail(job, message: "timed out", retryIn: supervisor.configuration.retry.delay(afterAttempt: job.attempt))
            case .cancelRequested:
                try await client.finishCancelled(job, message: "cancelled by an operator")
            case .failed(let error):
                if Task.isCancelled || error is CancellationError {
                    try await client.release([job])  // shutdown: give it back at once
                } else if let snooze = error as? JobSnooze {
                    try await client.snooze(job, seconds: snooze.seconds)
                } else if let cancel = error as? JobCancel {
                    try await client.finishCancelled(job, message: cancel.reason)
                } else if error is JobOwnershipLost {
                    logger.notice("job was taken over by another attempt", metadata: ["job": "\(job.id)"])
                } else {
                    let delay = supervisor.configuration.retry.delay(afterAttempt: job.attempt)
                    try await client.fail(job, message: String(describing: error), retryIn: delay)
                    logger.warning("job failed", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempt)", "error": "\(error)"])
                }
            }
        } catch {
            // The lease will lapse and the rescuer will run the job again.
            logger.error("could not record the end of a job", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
        await supervisor.inFlight.remove(job, succeeded: succeeded)
        await wakeup.signal()
    }
}
