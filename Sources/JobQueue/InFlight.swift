/// The attempts this process is running, keyed by (id, attempt), with what may end each one
/// early: its deadline, an operator's cancel request, or the loss of its lease.
actor InFlight {
    /// Why a run was stopped before it returned.
    enum StopReason: Sendable {
        case timedOut
        case cancelRequested
        case leaseLost
    }

    private struct Entry {
        let job: ClaimedJob
        var deadline: ContinuousClock.Instant?
        var cancel: (@Sendable () -> Void)?
        var stopped: StopReason?
    }

    private var entries: [JobKey: Entry] = [:]
    private var perQueue: [String: Int] = [:]
    private(set) var completed = 0
    private(set) var failed = 0

    func add(_ job: ClaimedJob) {
        guard entries[job.key] == nil else { return }
        entries[job.key] = Entry(job: job)
        perQueue[job.queue, default: 0] += 1
    }

    /// Gives the run a deadline and a way to stop it.
    func attach(_ key: JobKey, deadline: ContinuousClock.Instant, cancel: @escaping @Sendable () -> Void) {
        guard entries[key] != nil else { return }
        entries[key]?.deadline = deadline
        entries[key]?.cancel = cancel
        if entries[key]?.stopped != nil { cancel() }
    }

    func remove(_ job: ClaimedJob, succeeded: Bool) {
        if entries.removeValue(forKey: job.key) != nil { perQueue[job.queue, default: 1] -= 1 }
        if succeeded { completed += 1 } else { failed += 1 }
    }

    func count(queue: String) -> Int { perQueue[queue] ?? 0 }
    var total: Int { entries.count }
    var all: [ClaimedJob] { entries.values.map(\.job) }

    /// Stops the runs in `keys` for `reason` (the first reason given sticks).
    func stop(_ keys: Set<JobKey>, reason: StopReason) {
        for key in keys where entries[key] != nil && entries[key]?.stopped == nil {
            entries[key]?.stopped = reason
            entries[key]?.cancel?()
        }
    }

    /// Stops the runs whose deadline has passed at `now`.
    func stopOverdue(at now: ContinuousClock.Instant) {
        let overdue = entries.filter { entry in entry.value.deadline.map { $0 <= now } ?? false }.keys
        stop(Set(overdue), reason: .timedOut)
    }

    func stopReason(_ key: JobKey) -> StopReason? { entries[key]?.stopped }
}
