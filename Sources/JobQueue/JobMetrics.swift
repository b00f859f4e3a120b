import Metrics
import Synchronization

/// Process-local job metrics through swift-metrics (the API only: the process chooses the
/// backend; `bursard` exports them as Prometheus text on `/metrics`). Labels are job kinds and
/// outcomes, never job arguments.
public enum JobMetrics {
    /// How a run of a job ended.
    public enum Outcome: String, Sendable, CaseIterable {
        /// The handler succeeded (its completion may still be in the next batch).
        case completed
        /// The handler threw an error or cancelled the job itself.
        case failed
        /// The kind's timeout passed.
        case timedOut = "timed_out"
        /// An operator asked for the job to stop.
        case cancelled
        /// The job waits to run again, its attempt uncounted: the handler snoozed it, or this
        /// process has no handler for its kind. Not a failure.
        case snoozed
        /// Given back unfinished: a graceful stop's release, or a lease lost. Not a failure.
        case released
    }

    /// Whether a run that ended so counts in ``failedLabel``.
    static func isFailure(_ outcome: Outcome) -> Bool {
        outcome == .failed || outcome == .timedOut || outcome == .cancelled
    }

    /// Counter of job runs by kind and outcome.
    public static let processedLabel = "bursar_jobs_processed_total"
    /// Counter of job runs that did not complete, by kind.
    public static let failedLabel = "bursar_jobs_failed_total"
    /// Histogram of the time from claim to the end of the handler, by kind.
    public static let durationLabel = "bursar_job_duration_seconds"

    /// Records one run of a job of `kind`.
    public static func finished(kind: String, outcome: Outcome, duration: Duration) {
        let metrics = kindMetrics(kind)
        metrics.processed[outcome]?.increment()
        if isFailure(outcome) { metrics.failed.increment() }
        metrics.duration.record(duration: duration)
    }

    /// One kind's metric objects, made once, on the kind's first run (swift-metrics' advice: a
    /// metric made per event costs a factory lookup under a lock and its label arrays, on every
    /// job). A process bootstraps its backend before it runs jobs, as `bursard` does.
    private struct KindMetrics: Sendable {
        let processed: [Outcome: Counter]
        let failed: Counter
        let duration: Metrics.Timer

        init(kind: String) {
            processed = Dictionary(
                uniqueKeysWithValues: Outcome.allCases.map {
                    ($0, Counter(label: processedLabel, dimensions: [("kind", kind), ("outcome", $0.rawValue)]))
                })
            failed = Counter(label: failedLabel, dimensions: [("kind", kind)])
            duration = Metrics.Timer(label: durationLabel, dimensions: [("kind", kind)])
        }
    }

    private static let cache = Mutex<[String: KindMetrics]>([:])

    private static func kindMetrics(_ kind: String) -> KindMetrics {
        cache.withLock { cache in
            if let metrics = cache[kind] { return metrics }
            let metrics = KindMetrics(kind: kind)
            cache[kind] = metrics
            return metrics
        }
    }
}
