import Synchronization

/// The runs this process has in flight, each keyed by a token of its own claim, with what may
/// end it early: its deadline, an operator's cancel request, or the loss of its lease.
///
/// Keyed by claim, not by (id, attempt): a job snoozed with no delay goes back uncounted and
/// this process may claim it again — the same id and attempt — before the first run's end is
/// recorded here; that end must not remove the second run (it would lose its renewals, its
/// timeout and its cancel, and shutdown would not wait for it).
///
/// A lock, not an actor: every run passes here three or four times, each a few dictionary
/// operations, and as an actor each pass was a suspension and a task switch — on a busy queue
/// of no-op jobs the process spent more time switching than the database spent claiming
/// (issue 22). Nothing waits while holding the lock; cancel closures run after it is released.
final class InFlight: Sendable {
    /// Why a run was stopped before it returned.
    enum StopReason: Sendable {
        case timedOut
        case cancelRequested
        case leaseLost
        /// A graceful stop past its deadline: the run is given back to the queue. Set first, it
        /// keeps a deadline that passes before the run throws from counting as a failed attempt.
        case shuttingDown
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

    private struct State {
        var entries: [Token: Entry] = [:]
        var nextToken: UInt64 = 0
        var perQueue: [String: Int] = [:]
        /// Slots promised to claims in flight, per queue: counted as taken until the claim returns.
        var reserved: [String: Int] = [:]
        /// Queues whose last claim got all it asked for: more jobs are probably waiting.
        var busyQueues: Set<String> = []
        /// Each queue's limit, as its runner last gave it.
        var limits: [String: Int] = [:]
        /// Free slots a runner waits for, per queue: the run whose end frees them wakes it.
        var wanted: [String: Int] = [:]
        /// Runs out of `entries` whose end is still being recorded, per queue: a stop waits for
        /// them too, or the completer could finish before their completions reach it.
        var finishing: [String: Int] = [:]
        var completed = 0
        var failed = 0

        mutating func add(_ job: ClaimedJob, leaseValidUntil: ContinuousClock.Instant) -> Token {
            nextToken += 1
            let token = Token(value: nextToken)
            entries[token] = Entry(job: job, leaseValidUntil: leaseValidUntil)
            perQueue[job.queue, default: 0] += 1
            return token
        }

        /// Marks `tokens` stopped for `reason` (the first reason given sticks); returns their cancels.
        mutating func stop(tokens: [Token], reason: StopReason) -> [@Sendable () -> Void] {
            var cancels: [@Sendable () -> Void] = []
            for token in tokens where entries[token] != nil && entries[token]?.stopped == nil {
                entries[token]?.stopped = reason
                if let cancel = entries[token]?.cancel { cancels.append(cancel) }
            }
            return cancels
        }
    }

    private let state = Mutex(State())

    init() {}

    /// Records a claimed run whose lease is taken as good until `leaseValidUntil`.
    @discardableResult
    func add(_ job: ClaimedJob, leaseValidUntil: ContinuousClock.Instant = .now + .seconds(3600)) -> Token {
        state.withLock { $0.add(job, leaseValidUntil: leaseValidUntil) }
    }

    /// Reserves up to `atMost` of `queue`'s free slots (of `limit`) for a claim about to be sent,
    /// or none when fewer than `atLeast` are free — then the run whose end frees them says so
    /// (``remove(_:tally:)``). Two claim lanes of one queue reserve here, so together they never
    /// claim more than the queue's limit.
    func reserve(queue: String, limit: Int, atMost: Int, atLeast: Int) -> Int {
        state.withLock { state in
            state.limits[queue] = limit
            let free = limit - (state.perQueue[queue] ?? 0) - (state.reserved[queue] ?? 0)
            guard free >= max(1, atLeast) else {
                state.wanted[queue] = max(1, atLeast)
                return 0
            }
            state.wanted[queue] = nil
            let granted = min(free, atMost)
            state.reserved[queue, default: 0] += granted
            return granted
        }
    }

    /// Records the runs of a claim that had reserved `reservation` slots of `queue`; the slots it
    /// did not fill are free again. A claim that got all it asked for marks the queue busy.
    func add(_ jobs: [ClaimedJob], queue: String, reservation: Int, leaseValidUntil: ContinuousClock.Instant)
        -> [Token]
    {
        state.withLock { state in
            state.reserved[queue, default: reservation] -= reservation
            if jobs.count == reservation {
                state.busyQueues.insert(queue)
            } else {
                state.busyQueues.remove(queue)
            }
            return jobs.map { state.add($0, leaseValidUntil: leaseValidUntil) }
        }
    }

    /// A claim that failed gives its reserved slots back.
    func cancelReservation(queue: String, reservation: Int) {
        state.withLock { state in
            state.reserved[queue, default: reservation] -= reservation
            state.busyQueues.remove(queue)
        }
    }

    /// Whether `queue`'s last claim got all it asked for (the second lane claims only then).
    func isBusy(queue: String) -> Bool { state.withLock { $0.busyQueues.contains(queue) } }

    /// Gives the run a deadline and a way to stop it (at once, if it was stopped before).
    func attach(_ token: Token, deadline: ContinuousClock.Instant, cancel: @escaping @Sendable () -> Void) {
        let stoppedAlready = state.withLock { state -> Bool in
            guard state.entries[token] != nil else { return false }
            state.entries[token]?.deadline = deadline
            state.entries[token]?.cancel = cancel
            return state.entries[token]?.stopped != nil
        }
        if stoppedAlready { cancel() }
    }

    /// Ends a run; its end is then recorded and said with ``finished(queue:)``. True when its
    /// queue's runner should be woken: the slots it waits for are free, or the queue has nothing
    /// left running. A signal per finished job woke the runner for every one of them, each wake
    /// a timer and a task switch.
    ///
    /// Nil when the run is no longer here: a stop abandoned it (``abandon(queue:)``), and its
    /// end is neither counted nor recorded.
    @discardableResult
    func remove(_ token: Token, tally: Tally) -> Bool? {
        state.withLock { state in
            guard let queue = state.entries.removeValue(forKey: token)?.job.queue else { return nil }
            switch tally {
            case .completed: state.completed += 1
            case .failed: state.failed += 1
            case .uncounted: break
            }
            state.perQueue[queue, default: 1] -= 1
            state.finishing[queue, default: 0] += 1
            let count = state.perQueue[queue] ?? 0
            if count == 0 { return true }
            guard let wanted = state.wanted[queue], let limit = state.limits[queue] else { return false }
            guard limit - count - (state.reserved[queue] ?? 0) >= wanted else { return false }
            state.wanted[queue] = nil
            return true
        }
    }

    /// A run's end is recorded (``remove(_:tally:)`` came first). True when its queue has
    /// nothing left in flight or being recorded: a stop waits for that.
    @discardableResult
    func finished(queue: String) -> Bool {
        state.withLock { state in
            assert((state.finishing[queue] ?? 0) > 0, "a run's end is said once, after its removal")
            state.finishing[queue] = max(0, (state.finishing[queue] ?? 0) - 1)
            return (state.perQueue[queue] ?? 0) + (state.finishing[queue] ?? 0) == 0
        }
    }

    /// Runs of `queue` not yet ended, or whose end is still being recorded.
    func live(queue: String) -> Int {
        state.withLock { ($0.perQueue[queue] ?? 0) + ($0.finishing[queue] ?? 0) }
    }

    /// Graceful stop past its deadline: stops the runs of `queue` that nothing stopped before
    /// (they are released, not failed).
    func cancelRuns(queue: String) {
        let cancels = state.withLock { state in
            state.stop(
                tokens: state.entries.filter { $0.value.job.queue == queue }.map(\.key), reason: .shuttingDown)
        }
        for cancel in cancels { cancel() }
    }

    /// The runs of `queue` that did not stop when cancelled: forgotten here, left to their lease.
    /// Runs whose end is being recorded are not abandoned: a stop still waits for them (each
    /// write is bounded by its retries).
    func abandon(queue: String) -> [ClaimedJob] {
        state.withLock { state in
            let abandoned = state.entries.filter { $0.value.job.queue == queue }
            for token in abandoned.keys { state.entries[token] = nil }
            state.perQueue[queue] = 0
            return abandoned.values.map(\.job)
        }
    }

    func count(queue: String) -> Int { state.withLock { $0.perQueue[queue] ?? 0 } }
    var total: Int { state.withLock { $0.entries.count } }
    var completed: Int { state.withLock { $0.completed } }
    var failed: Int { state.withLock { $0.failed } }
    /// The attempts in flight (one per job and attempt), for lease renewal.
    var all: [ClaimedJob] { state.withLock { Array(Set($0.entries.values.map(\.job))) } }

    /// A renewal sent at `sentAt` extended the leases of `keys`: they hold until `validUntil`.
    func renewed(_ keys: Set<JobKey>, validUntil: ContinuousClock.Instant) {
        state.withLock { state in
            for (token, entry) in state.entries where keys.contains(entry.job.key) {
                guard entry.leaseValidUntil < validUntil else { continue }
                state.entries[token]?.leaseValidUntil = validUntil
            }
        }
    }

    /// Stops the runs of the attempts `keys` for `reason` (the first reason given sticks).
    func stop(_ keys: Set<JobKey>, reason: StopReason) {
        let cancels = state.withLock { state in
            state.stop(tokens: state.entries.filter { keys.contains($0.value.job.key) }.map(\.key), reason: reason)
        }
        for cancel in cancels { cancel() }
    }

    /// Stops the runs whose deadline has passed at `now`, and those whose last good renewal is
    /// too old for the lease to be trusted.
    func stopOverdue(at now: ContinuousClock.Instant) {
        let cancels = state.withLock { state in
            state.stop(
                tokens: state.entries.filter { $0.value.deadline.map { $0 <= now } ?? false }.map(\.key),
                reason: .timedOut)
                + state.stop(
                    tokens: state.entries.filter { $0.value.leaseValidUntil <= now }.map(\.key),
                    reason: .leaseLost)
        }
        for cancel in cancels { cancel() }
    }

    func stopReason(_ token: Token) -> StopReason? { state.withLock { $0.entries[token]?.stopped } }
}
