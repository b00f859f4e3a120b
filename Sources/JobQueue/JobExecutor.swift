import Foundation
import Logging
import Postgres

/// Runs one claimed attempt: its handler under the handler's timeout (also the statement
/// timeout of its queries), stoppable by the watchdog, an operator or the loss of its lease;
/// then records how it ended. Recording is shielded from cancellation, so a graceful stop
/// that cancels a run still writes its end (a release) instead of leaving it to lapse.
struct JobExecutor: Sendable {
    let registry: JobRegistry
    let inFlight: InFlight
    let completer: Completer
    /// The queue's own pool: recording never waits behind handlers' connections.
    let pool: ConnectionPool
    let retry: RetryPolicy
    let outage: OutageLog
    let logger: Logger
    /// Each queue's runner, woken when one of its jobs ends.
    let wakeups: [String: Wakeup]
    /// This process's worker id, for the history of a job it could not run.
    let worker: String

    enum Ending {
        case succeeded(inline: Bool)
        case failed(Error)
        case snoozed(Duration)
        case cancelled(String)
        case timedOut(Duration)
        /// No handler in this process knows the kind (a newer binary enqueued it).
        case unknownKind
        case released
        case lost

        /// How the run counts in `/metrics`.
        var outcome: JobMetrics.Outcome {
            switch self {
            case .succeeded: .completed
            case .cancelled: .cancelled
            case .timedOut: .timedOut
            case .failed: .failed
            case .snoozed, .unknownKind: .snoozed
            case .released, .lost: .released
            }
        }

        /// How the run counts in the supervisor's summary.
        var tally: InFlight.Tally {
            switch self {
            case .succeeded: .completed
            case .failed, .timedOut, .cancelled: .failed
            case .snoozed, .unknownKind, .released, .lost: .uncounted
            }
        }
    }

    /// Starts the run of a claimed attempt in a task of its own, which the watchdog, an
    /// operator's cancel, the loss of the lease or a graceful stop past its deadline cancels
    /// through ``InFlight``.
    ///
    /// One task per run, the handler inline in it: a second task per run that the first awaited
    /// (so that a shutdown could stop waiting for a handler that does not stop) cost each no-op
    /// job two task switches and a continuation, a tenth of the queue's throughput on two cores
    /// (issue 22). A run that does not stop is now abandoned by its runner (``QueueRunner``).
    func start(_ job: ClaimedJob, _ token: InFlight.Token) {
        let handler = registry.handlers[job.kind]
        let run = Task { await execute(job, token, handler) }
        if let handler {
            inFlight.attach(token, deadline: ContinuousClock.now + handler.timeout, cancel: { run.cancel() })
        }
    }

    private func execute(_ job: ClaimedJob, _ token: InFlight.Token, _ handler: AnyJobHandler?) async {
        let started = ContinuousClock.now
        let ending: Ending
        if let handler {
            ending = await runHandler(handler, job, token)
        } else {
            ending = .unknownKind
        }
        // Out of the in-flight set before the end is written: once written, this process may
        // claim the job again (a snooze of zero), and that run must find no stale entry. Not
        // there: a stop abandoned it to its lease, and said so; nothing more is recorded.
        guard let wake = inFlight.remove(token, tally: ending.tally) else { return }
        JobMetrics.finished(kind: job.kind, outcome: ending.outcome, duration: started.duration(to: .now))
        await record(job, ending)
        let drained = inFlight.finished(queue: job.queue)
        // A run that did not complete may have put its job back (a snooze, a retry): its queue
        // is not empty, whatever the slots say.
        if wake || drained || ending.tally != .completed { wakeups[job.queue]?.signal() }
    }

    private func runHandler(_ handler: AnyJobHandler, _ job: ClaimedJob, _ token: InFlight.Token) async -> Ending {
        let ledger = CompletionLedger()
        let timeout = handler.timeout
        do {
            try await QueryLimits.$statementTimeout.withValue(timeout) { try await handler.run(job, ledger) }
            return .succeeded(inline: ledger.completedInline)
        } catch {
            // Its completion committed before it threw: the job is done (a fail would find it
            // completed and change nothing), and counting it failed would misreport it. The
            // error is still said, or a failure after the commit (a notice not sent) vanishes.
            if ledger.completedInline {
                logger.warning(
                    "job completed, then its handler threw",
                    metadata: ["job": "\(job.key)", "kind": "\(job.kind)", "error": "\(error)"])
                return .succeeded(inline: true)
            }
            switch inFlight.stopReason(token) {
            case .timedOut: return .timedOut(timeout)
            case .cancelRequested: return .cancelled("cancelled by an operator")
            case .leaseLost: return .lost
            // Shutdown past its deadline: give it back — unless the handler failed on its own.
            case .shuttingDown where Self.isInterruption(error): return .released
            case .shuttingDown, nil: break
            }
            if let snooze = error as? JobSnooze { return .snoozed(snooze.delay) }
            if let cancel = error as? JobCancel { return .cancelled(cancel.reason) }
            if error is JobOwnershipLost { return .lost }
            return .failed(error)
        }
    }

    private func record(_ job: ClaimedJob, _ ending: Ending) async {
        switch ending {
        case .succeeded:
            // Every successful run goes to the completer, inline or not (River's way): its
            // UPDATE is guarded by `state = 'running' AND attempt`, so after a real inline
            // completion it changes nothing, and a completion undone by a savepoint the ledger
            // cannot see (ROLLBACK TO after the UPDATE, then COMMIT) is still written.
            completer.add(job)
        case .failed(let error):
            logger.warning("job failed", metadata: ["job": "\(job.key)", "kind": "\(job.kind)", "error": "\(error)"])
            let delay = retry.delay(afterAttempt: job.attempt)
            await write(job) {
                try await QueueDriver.fail(job, message: String(describing: error), retryIn: delay, on: $0)
            }
        case .timedOut(let timeout):
            let delay = retry.delay(afterAttempt: job.attempt)
            await write(job) {
                try await QueueDriver.fail(job, message: "timed out after \(timeout)", retryIn: delay, on: $0)
            }
        case .snoozed(let delay):
            await write(job) { try await QueueDriver.snooze(job, delay: delay, on: $0) }
        case .cancelled(let reason):
            await write(job) { try await QueueDriver.cancelRunning(job, message: reason, on: $0) }
        case .unknownKind:
            logger.warning(
                "no handler for this job kind here; it waits for a process that has one",
                metadata: ["job": "\(job.key)", "kind": "\(job.kind)"])
            let message = "no handler is registered for job kind \(job.kind) in worker \(worker); retried later"
            let maximum = retry.unknownKindMaximum
            await write(job) {
                try await QueueDriver.deferUnknownKind(job, message: message, maximumDelay: maximum, on: $0)
            }
        case .released:
            await write(job) { try await QueueDriver.release([job], on: $0) > 0 }
        case .lost:
            logger.notice("job was taken over by another attempt", metadata: ["job": "\(job.key)"])
        }
    }

    /// Runs a graceful stop cancelled that did not stop within the wait: not waited for, they
    /// stay running until their leases lapse (released, they could run twice at once).
    func abandoned(_ jobs: [ClaimedJob], after wait: Duration) {
        for job in jobs {
            JobMetrics.finished(kind: job.kind, outcome: .released, duration: .zero)
            logger.error(
                """
                job did not stop within \(wait) of the shutdown's cancel; not waiting for it: it stays running \
                until its lease lapses, then runs again
                """, metadata: ["job": "\(job.key)", "kind": "\(job.kind)"])
        }
    }

    /// Whether `error` is what a cancelled run throws (the task's cancellation, or the server's
    /// cancel of a statement in progress), as opposed to a failure of the handler's own.
    static func isInterruption(_ error: Error) -> Bool {
        error is CancellationError || (error as? PostgresError)?.sqlState == "57014"
    }

    /// Writes an attempt's end on the queue's pool, in a task of its own (not cancelled with the
    /// run), trying a few times through a short outage. If it still fails, the lease lapses and
    /// the rescuer runs the job again.
    private func write(_ job: ClaimedJob, _ body: @escaping @Sendable (Connection) async throws -> Bool) async {
        let pool = self.pool
        let outage = self.outage
        let logger = self.logger
        await Task {
            var backoff = Backoff()
            for attempt in 1...5 {
                do {
                    _ = try await pool.withConnection(body)
                    outage.succeeded()
                    return
                } catch {
                    outage.failed("recording the end of a job", error)
                    if attempt < 5 { try? await Task.sleep(for: backoff.next()) }
                }
            }
            logger.error(
                "could not record the end of a job; the rescuer will run it again", metadata: ["job": "\(job.key)"])
        }.value
    }
}
