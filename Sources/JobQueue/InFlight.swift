/// The jobs this process is running, and the ones an operator asked to stop.
actor InFlight {
    private var jobs: [Int64: ClaimedJob] = [:]
    private var perQueue: [String: Int] = [:]
    private var cancelRequested: Set<Int64> = []
    private(set) var completed = 0
    private(set) var failed = 0

    func add(_ job: ClaimedJob) {
        jobs[job.id] = job
        perQueue[job.queue, default: 0] += 1
    }

    func remove(_ job: ClaimedJob, succeeded: Bool) {
        if jobs.removeValue(forKey: job.id) != nil { perQueue[job.queue, default: 1] -= 1 }
        cancelRequested.remove(job.id)
        if succeeded { completed += 1 } else { failed += 1 }
    }

    func count(queue: String) -> Int { perQueue[queue] ?? 0 }
    var total: Int { jobs.count }
    var all: [ClaimedJob] { Array(jobs.values) }

    func requestCancel(_ ids: Set<Int64>) { cancelRequested.formUnion(ids.filter { jobs[$0] != nil }) }
    func isCancelRequested(_ id: Int64) -> Bool { cancelRequested.contains(id) }
}
