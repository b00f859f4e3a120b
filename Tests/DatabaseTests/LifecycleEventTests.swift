import Foundation
import Lifecycle
import Postgres
import Store
import Testing
import Workers

@testable import BursarApp

/// Interface §3: "each is processed by a worker job, exactly once, in order per applicant", and
/// the worker rejects an event only for its own reasons.
@Suite("Lifecycle events", .enabled(if: databaseAvailable))
struct LifecycleEventTests {
    typealias T = PaymentSettlementTests

    @Test("a database error retries the event; it is not rejected")
    func databaseErrorsRetry() async throws {
        let s = try await LifecycleScenario.start()
        try await s.database.pool.withConnection {
            try await $0.simpleQuery("ALTER TABLE decisions RENAME TO decisions_away")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).ndjson")
        try T.admitted("S-01-base").write(to: file, atomically: true, encoding: .utf8)
        #expect(try s.cli(["events", "submit", file.path]).status == 0)
        let drain = Task { try await s.drain() }
        let failedOnce = try await TestDatabase.eventually(20) {
            try await s.count(
                "SELECT count(*)::int AS n FROM bursar_jobs WHERE kind = 'lifecycle.apply' AND state = 'retryable'")
                == 1
        }
        #expect(failedOnce)
        #expect(
            try await s.count("SELECT count(*)::int AS n FROM lifecycle_events WHERE status = 'pending'") == 1,
            "not rejected")
        try await s.database.pool.withConnection {
            try await $0.simpleQuery("ALTER TABLE decisions_away RENAME TO decisions")
        }
        try await drain.value
        #expect(try await s.count("SELECT count(*)::int AS n FROM lifecycle_events WHERE status = 'applied'") == 1)
        #expect(try await s.count("SELECT count(*)::int AS n FROM scholarships") == 1)
        try? FileManager.default.removeItem(at: file)
        await s.finish()
    }

    @Test("with a pool of one connection an admission completes (no second connection inside the transaction)")
    func oneConnectionIsEnough() async throws {
        let s = try await LifecycleScenario.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).ndjson")
        try T.admitted("S-01-base").write(to: file, atomically: true, encoding: .utf8)
        #expect(try s.cli(["events", "submit", file.path]).status == 0)
        let single = Database.connect(conninfo: s.database.conninfo, home: TestDatabase.repository, poolSize: 1)
        let drained = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try await WorkerProcess.drain(database: single, concurrency: 4)
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return false
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        #expect(drained, "the handler waited for a second connection")
        #expect(try await s.count("SELECT count(*)::int AS n FROM scholarships") == 1)
        await single.close()
        try? FileManager.default.removeItem(at: file)
        await s.finish()
    }

    /// Concurrent submissions (each its own transaction, naming two applicants in either order)
    /// while workers run: every event is applied once, none is left pending, and each
    /// applicant's events apply in the order they were submitted.
    @Test("concurrent submits and workers: every event applied exactly once, in submission order")
    func concurrentSubmitsApplyInOrder() async throws {
        let s = try await LifecycleScenario.start()
        let ids = ["S-01-base", "S-07-partner-only"]
        try await s.events(T.admitted(ids[0]), T.admitted(ids[1]))
        let submitters = 6
        let perSubmitter = 5
        let done = ManagedFlag()
        let workers = Task {
            while !done.value {
                try await s.drain()
                try await Task.sleep(for: .milliseconds(20))  // pacing between drains, not a wait for a condition
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<submitters {
                group.addTask {
                    for i in 0..<perSubmitter {
                        let order = (t + i) % 2 == 0 ? ids : ids.reversed()
                        let text = order.map { T.report($0, on: "2026-09-30", term: "t\(t)-\(i)", gpa: "2.50") }.joined(
                            separator: "\n")
                        let parsed = EventsFile.parse(Data(text.utf8))
                        let lines = parsed.events.map {
                            (line: $0.line, event: $0.event, program: "tgp-2026", body: $0.body)
                        }
                        _ = try await s.database.pool.withTransaction {
                            try await LifecycleStore.submit(lines, queue: s.database.queue, on: $0)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        done.set()
        try await workers.value
        try await s.drain()
        #expect(try await s.count("SELECT count(*)::int AS n FROM lifecycle_events WHERE status <> 'applied'") == 0)
        #expect(
            try await s.count("SELECT count(*)::int AS n FROM lifecycle_events WHERE type = 'academic_report'") == 2
                * submitters * perSubmitter)
        for id in ids {
            let submitted = try await s.database.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT body ->> 'term' AS term FROM lifecycle_events
                    WHERE applicant_id = $1 AND type = 'academic_report' ORDER BY seq
                    """, id
                ).map { try $0.string("term") }
            }
            let scholarship = try #require(
                try await s.database.pool.withConnection {
                    try await LifecycleStore.scholarship(program: "tgp-2026", applicantID: id, on: $0)
                })
            let applied = scholarship.history.compactMap { line -> String? in
                guard let range = line.range(of: ": term ") else { return nil }
                return String(line[range.upperBound...].split(separator: " ")[0])
            }
            // v1.2: the fold orders reports of one date by term, whatever the submission order.
            #expect(applied == submitted.sorted(), "applied once each, in the fold's order")
        }
        await s.finish()
    }

    /// The decisions side flags a scholarship under `hashtext('lifecycle:PROGRAM:APPLICANT')`;
    /// a submission of that applicant's events waits for it (and so does the worker).
    @Test("submit waits for the applicant's lifecycle lock the decisions side takes")
    func submitTakesTheSharedApplicantLock() async throws {
        let s = try await LifecycleScenario.start()
        let holder = try await Connection.connect(s.database.conninfo)
        try await holder.simpleQuery("BEGIN")
        try await holder.query("SELECT pg_advisory_xact_lock(hashtext($1))", "lifecycle:tgp-2026:S-01-base")
        let parsed = EventsFile.parse(Data(T.admitted("S-01-base").utf8))
        let lines = parsed.events.map { (line: $0.line, event: $0.event, program: "tgp-2026", body: $0.body) }
        let submit = Task {
            try await s.database.pool.withTransaction {
                try await LifecycleStore.submit(lines, queue: s.database.queue, on: $0)
            }
        }
        let waiting = try await TestDatabase.eventually(10) {
            try await s.count("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                == 1
        }
        #expect(waiting, "the submission waits for the lock")
        #expect(try await s.count("SELECT count(*)::int AS n FROM lifecycle_events") == 0)
        try await holder.simpleQuery("COMMIT")
        #expect(try await submit.value == [.queued])
        await holder.close()
        await s.finish()
    }

    /// Interface §3: "An event may carry an `event_id`; an event whose id was already submitted is
    /// ignored" — the same event again; a different event under a used id is rejected (issue 13).
    /// Interface §1's exit codes: 2 when no line of the file can be parsed at all.
    @Test("a reused event_id with other content is rejected; an empty file exits 2; list shows date, id and effect")
    func eventIDsAndExitCodes() async throws {
        let s = try await LifecycleScenario.start()
        let first = try await s.events(T.admitted("S-01-base", eventID: "x1"))
        #expect(first.status == 0)
        let same = try await s.events(T.admitted("S-01-base", eventID: "x1"))
        #expect(
            same.status == 0 && same.output.contains("ignored (event_id already submitted with the same content): 1"),
            "\(same.output)")
        let other = try await s.events(T.admitted("S-07-partner-only", eventID: "x1"))
        #expect(other.status == 3)
        #expect(other.output.contains("event_id \"x1\" was already used"), "\(other.output)")
        #expect(
            try await s.count("SELECT count(*)::int AS n FROM lifecycle_events") == 1,
            "nothing stored for the conflicting line")

        let elsewhere = try await s.events(
            #"{"event_id": "p1", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-03-20", "#
                + #""program": "nope"}"#
        )
        #expect(elsewhere.status == 3, "an event of a program that does not exist is rejected at submit")
        #expect(elsewhere.output.contains("there is no program \"nope\""), "\(elsewhere.output)")
        #expect(
            try await s.count("SELECT count(*)::int AS n FROM lifecycle_events") == 1,
            "nothing stored for the unknown program")

        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).ndjson")
        try "\n".write(to: empty, atomically: true, encoding: .utf8)
        let none = try s.cli(["events", "submit", empty.path])
        #expect(none.status == 2 && none.error.contains("holds no events"), "\(none)")
        try? FileManager.default.removeItem(at: empty)

        let json = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).ndjson")
        try [T.arrived("S-01-base", on: "2026-03-30"), "{\"type\": \"arrived\"}"].joined(separator: "\n").write(
            to: json, atomically: true, encoding: .utf8)
        let submitted = try s.cli(["events", "submit", json.path, "--json"])
        #expect(submitted.status == 3)
        let summary = try JSONSerialization.jsonObject(with: Data(submitted.output.utf8)) as? [String: Any]
        #expect(summary?["queued"] as? Int == 1)
        #expect((summary?["rejected"] as? [[String: Any]])?.first?["line"] as? Int == 2)
        try? FileManager.default.removeItem(at: json)
        try await s.drain()

        let listed = try s.cli(["events", "list"]).output
        #expect(listed.contains("2026-03-20\tx1\tS-01-base\tadmitted\tapplied\t2026-03-20: admitted"), "\(listed)")
        #expect(
            listed.contains(
                "2026-03-30\tarr-S-01-base\tS-01-base\tarrived\tapplied\t2026-03-30: arrived; payments begin in 2026-04"
            ), "\(listed)")
        await s.finish()
    }
}

/// A flag one task sets and another reads.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set_ = false
    var value: Bool {
        lock.lock()
        defer { lock.unlock() }
        return set_
    }
    func set() {
        lock.lock()
        set_ = true
        lock.unlock()
    }
}
