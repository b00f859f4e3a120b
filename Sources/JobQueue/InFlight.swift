/// The runs this process has in flight, each keyed by a token of its own claim, with what may
/// end it early: its deadline, an operator's cancel request, or the loss of its lease.
///
/// Keyed by claim, not by (id, attempt): a job snoozed with no delay goes back uncounted and
/// this process may claim it again — the same id and attempt — before the first run's end is
/// recorded here; that end must not remove the second run (it would lose its renewals, its
/// timeout and its cancel, and shutdown would not wait for it).
actor InFlight {
    /// Why a run was stopped before it returned.
    enum StopReason: Sendable {
        case timedOut
        case cancelRequested
        case leaseLost
    }

    /// How a run counts in the supervisor's summary.
    enum Tally: Sendable {
        case completed
        case failed
        /// Snoozed, released or lost: not a failure of the job.
        case uncounted
    }

    /// One claim's run.
    struct Token: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    private struct Entry {
        let job: ClaimedJob
        var deadline: ContinuousClock.Instant?
        /// Past this instant the lease may have lapsed in the database: the run stops itself.
        var leaseValidUntil: ContinuousClock.Instant
        var cancel: (@Sendable () -> Void)?
        var stopped: StopReason?
    }

    private var entries: [Token: Entry] = [:]
    private var nextToken: UInt64 = 0
    private var perQueue: [String: Int] = [:]
    private(set) var completed = 0
    private(set) var failed = 0

    /// Records a claimed run whose lease is taken as good until `leaseValidUntil`.
    @discardableResult
    func add(_ job: ClaimedJob, leaseValidUntil: ContinuousClock.Instant = .now + .seconds(3600)) -> Token {
        nextToken += 1
        let token = Token(value: nextToken)
        entries[token] = Entry(job: job, leaseValidUntil: leaseValidUntil)
        perQueue[job.queue, default: 0] += 1
        return token
    }

    /// Gives the run a deadline and a way to stop it.
    func attach(_ token: Token, deadline: ContinuousClock.Instant, cancel: @escaping @Sendable () -> Void) {
        guard entries[token] != nil else { return }
        entries[token]?.deadline = deadline
        entries[token]?.cancel = cancel
        if entries[token]?.stopped != nil { cancel() }
    }

    func remove(_ token: Token, tally: Tally) {
        if let entry = entries.removeValue(forKey: token) { perQueue[entry.job.queue, default: 1] -= 1 }
        switch tally {
        case .completed: completed += 1
        case .failed: failed += 1
        case .uncounted: break
        }
    }

    func count(queue: String) -> Int { perQueue[queue] ?? 0 }
    var total: Int { entries.count }
    /// The attempts in flight (one per job and attempt), for lease renewal.
    var all: [ClaimedJob] { Array(Set(entries.values.map(\.job))) }

    /// A renewal sent at `sentAt` extended the leases of `keys`: they hold until `validUntil`.
    func renewed(_ keys: Set<JobKey>, validUntil: ContinuousClock.Instant) {
        for (token, entry) in entries where keys.contains(entry.job.key) && entry.leaseValidUntil < validUntil {
            entries[token]?.leaseValidUntil = validUntil
        }
    }

    /// Stops the runs of the attempts `keys` for `reason` (the first reason given sticks).
    func stop(_ keys: Set<JobKey>, reason: StopReason) {
        stop(tokens: entries.filter { keys.contains($0.value.job.key) }.map(\.key), reason: reason)
    }

    private func stop(tokens: [Token], reason: StopReason) {
        for token in tokens where entries[token] != nil && entries[token]?.stopped == nil {
            entries[token]?.stopped = reason
            entries[token]?.cancel?()
        }
    }

    /// Stops the runs whose deadline has passed at `now`, and those whose last good renewal is
    /// too old for the lease to be trusted.
    func stopOverdue(at now: ContinuousClock.Instant) {
        stop(tokens: entries.filter { $0.value.deadline.map { $0 <= now } ?? false }.map(\.key), reason: .timedOut)
        stop(tokens: entries.filter { $0.value.leaseValidUntil <= now }.map(\.key), reason: .leaseLost)
    }

    func stopReason(_ token: Token) -> StopReason? { entries[token]?.stopped }
}
