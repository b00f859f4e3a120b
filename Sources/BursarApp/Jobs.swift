import ArgumentParser
import Foundation
import JobQueue
import Postgres
import Store

/// `bursar jobs list|show|retry|cancel|discard`. Exit status (interface §5): 0 when the action
/// was taken, 1 with a message when the job does not exist or the action does not apply to it.
/// Every action leaves one audit row (`jobs.retry`, `jobs.cancel`, `jobs.discard`) with its
/// `--reason`, written in the transaction that changes the job.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, inspect, retry, cancel or discard jobs.",
        discussion: "Example: bursar jobs list --state discarded; bursar jobs retry 42 --reason \"partner list fixed\"",
        subcommands: [List.self, Show.self, Retry.self, Cancel.self, Discard.self])

    /// Runs `change` and records it as `action` in one transaction; what `change` returns tells
    /// whether the action was taken (only a taken action is recorded).
    static func act<Result>(
        _ action: String, job id: Int64, reason: String?, database: Database,
        _ change: (Connection) async throws -> (result: Result, taken: Bool, detail: [String: String])
    )
        async throws -> Result
    {
        try await database.pool.withTransaction { connection in
            let (result, taken, detail) = try await change(connection)
            if taken {
                try await AuditLog.record(
                    on: connection, action: action, program: nil, reason: reason,
                    detail: detail.merging(["job": String(id)]) { $1 })
            }
            return result
        }
    }

    /// The states from which `jobs retry` runs a job again.
    static let retriable: Set<JobState> = [.retryable, .discarded, .cancelled, .scheduled]

    /// The job, or exit status 1 with a message.
    static func existing(_ id: Int64, database: Database) async throws -> JobSummary {
        guard let job = try await database.queue.job(id: id) else {
            CLI.printError("no job \(id) (`bursar jobs list` shows the jobs)")
            throw ExitCode(1)
        }
        return job
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List jobs, newest first (no arguments or errors: `jobs show ID` has them).",
            discussion: """
                The next page: --before the last ID shown.
                Example: bursar jobs list --state retryable --kind screen_applications --limit 20 --json
                """)
        @Option(help: "Only jobs in this state (\(JobState.allCases.map(\.rawValue).joined(separator: ", "))).")
        var state: String?
        @Option(help: "Only jobs of this kind.") var kind: String?
        @Option(help: "Only jobs of this queue.") var queue: String?
        @Option(help: "At most this many (1 to 10000).") var limit = 100
        @Option(help: "Only jobs with a smaller ID (the next page: the last ID shown).") var before: Int64?
        @Flag(help: "Print as JSON (one array).") var json = false

        func validate() throws {
            if let state, JobState(rawValue: state) == nil {
                throw ValidationError(
                    "--state takes one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")), not \(state)")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit takes a number from 1 to 10000") }
            if let before, before < 1 { throw ValidationError("--before takes a job ID (1 or more), not \(before)") }
        }

        func run() async throws {
            let filter = JobFilter(
                state: state.flatMap(JobState.init(rawValue:)), kind: kind, queue: queue, limit: limit,
                before: before)
            let jobs = try await Runner.withDatabase { try await $0.queue.jobs(filter) }
            if json {
                printLine(try CLI.json(jobs.map(JobReport.init)))
                return
            }
            if jobs.isEmpty {
                printLine("no jobs match")
                return
            }
            printLine("ID\tSTATE\tKIND\tQUEUE\tATTEMPT\tERRORS\tSCHEDULED")
            for job in jobs {
                let scheduled = job.scheduledAt.map { $0.formatted(.iso8601) } ?? "-"
                printLine(
                    [
                        "\(job.id)", job.state.rawValue, job.kind, job.queue, "\(job.attempt)/\(job.maxAttempts)",
                        "\(job.errorCount)", scheduled,
                    ].joined(separator: "\t"))
            }
            if jobs.count == limit, let last = jobs.last {
                printLine("(the newest \(limit); --before \(last.id) shows the next page, --limit N more at once)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One job: kind, queue, state, arguments, attempts, error history.",
            discussion: "Example: bursar jobs show 42 --json")
        @Argument(help: "The job id.") var id: Int64
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let job = try await Runner.withDatabase { try await Jobs.existing(id, database: $0) }
            let report = JobReport(job, details: true)
            if json {
                printLine(try CLI.json(report))
                return
            }
            printLine(
                "job \(job.id): \(job.kind) on \(job.queue), \(job.state.rawValue), "
                    + "attempt \(job.attempt) of \(job.maxAttempts)")
            printLine("args: \(job.args)")
            if let by = job.attemptedBy { printLine("last run by: \(by)") }
            printLine("errors: \(job.errors)")
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a retryable, discarded, cancelled or scheduled job again now.",
            discussion: "Example: bursar jobs retry 42 --reason \"the partner list was fixed\"")
        @Argument(help: "The job id.") var id: Int64
        @OptionGroup var why: ReasonOption

        func run() async throws {
            try await Runner.withDatabase { database in
                let job = try await Jobs.existing(id, database: database)
                let taken = try await Jobs.act("jobs.retry", job: id, reason: why.text, database: database) {
                    connection in
                    let taken = try await database.queue.retry(id: id, on: connection)
                    return (taken, taken, ["kind": job.kind, "queue": job.queue, "was": job.state.rawValue])
                }
                guard taken else {
                    let now = try await Jobs.existing(id, database: database)
                    CLI.printError(
                        Jobs.retriable.contains(now.state)
                            ? "job \(id) cannot run again now: another waiting or running job holds its unique key"
                            : "job \(id) is \(now.state.rawValue) and cannot be retried "
                                + "(only retryable, discarded, cancelled or scheduled jobs can)"
                    )
                    throw ExitCode(1)
                }
                printLine("job \(id) will run again")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a job that has not ended (a running one is asked to stop).",
            discussion: "Example: bursar jobs cancel 42 --reason \"submitted twice\"")
        @Argument(help: "The job id.") var id: Int64
        @OptionGroup var why: ReasonOption

        func run() async throws {
            try await Runner.withDatabase { database in
                let before = try await Jobs.act("jobs.cancel", job: id, reason: why.text, database: database) {
                    connection in
                    let before = try await database.queue.cancel(id: id, on: connection)
                    return (before, before.map { !$0.hasEnded } ?? false, ["was": before?.rawValue ?? ""])
                }
                guard let state = before else {
                    CLI.printError("no job \(id) (`bursar jobs list` shows the jobs)")
                    throw ExitCode(1)
                }
                guard !state.hasEnded else {
                    CLI.printError("job \(id) had already ended (\(state.rawValue)): nothing to cancel")
                    throw ExitCode(1)
                }
                printLine(
                    state == .running ? "job \(id) is running; its worker was asked to stop" : "job \(id) cancelled")
            }
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Discard a waiting job (available, scheduled or retryable): it will not run unless retried.",
            discussion: "Example: bursar jobs discard 42 --reason \"the applicant withdrew\"")
        @Argument(help: "The job id.") var id: Int64
        @OptionGroup var why: ReasonOption

        func run() async throws {
            try await Runner.withDatabase { database in
                let before = try await Jobs.act("jobs.discard", job: id, reason: why.text, database: database) {
                    connection in
                    let before = try await database.queue.discard(id: id, on: connection)
                    return (before, before?.isWaiting ?? false, ["was": before?.rawValue ?? ""])
                }
                guard let state = before else {
                    CLI.printError("no job \(id) (`bursar jobs list` shows the jobs)")
                    throw ExitCode(1)
                }
                guard state.isWaiting else {
                    CLI.printError(
                        state == .running
                            ? "job \(id) is running: only a waiting job can be discarded "
                                + "(`bursar jobs cancel \(id)` asks it to stop)"
                            : "job \(id) had already ended (\(state.rawValue)): nothing to discard")
                    throw ExitCode(1)
                }
                printLine("job \(id) discarded (`bursar jobs retry \(id)` runs it again)")
            }
        }
    }
}

/// A job in `jobs list --json` and `jobs show --json`; `args` and `errors` only in `show`.
struct JobReport: Encodable {
    let id: Int64
    let kind: String
    let queue: String
    let state: String
    let attempt: Int
    let maxAttempts: Int
    let errorCount: Int
    let scheduledAt: Date?
    let attemptedAt: Date?
    let attemptedBy: String?
    let finalizedAt: Date?
    let createdAt: Date?
    let args: StoredJSON?
    /// The error history, as the queue records it.
    let errors: StoredJSON?

    init(_ job: JobSummary) { self.init(job, details: false) }

    init(_ job: JobSummary, details: Bool) {
        id = job.id
        kind = job.kind
        queue = job.queue
        state = job.state.rawValue
        attempt = job.attempt
        maxAttempts = job.maxAttempts
        errorCount = job.errorCount
        scheduledAt = job.scheduledAt
        attemptedAt = job.attemptedAt
        attemptedBy = job.attemptedBy
        finalizedAt = job.finalizedAt
        createdAt = job.createdAt
        args = details ? StoredJSON(job.args) : nil
        errors = details ? StoredJSON(job.errors) : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, queue, state, attempt, args, errors
        case maxAttempts = "max_attempts"
        case errorCount = "error_count"
        case scheduledAt = "scheduled_at"
        case attemptedAt = "attempted_at"
        case attemptedBy = "attempted_by"
        case finalizedAt = "finalized_at"
        case createdAt = "created_at"
    }
}
