import Foundation
import Lifecycle
import Postgres
import Screening
import Store
import Testing

@testable import Workers

/// Issue 11: "A screening job that read the old exclusion list can commit after the re-screen job
/// that an import enqueued, and become the latest decision: serialise them."
@Suite("Decisions and program data changes are ordered", .serialized, .enabled(if: databaseAvailable))
struct DecisionOrderingTests {
    /// Guideline (10)(d): "Those who have previously been enrolled in a master's program of TMU or
    /// another university in Japan as a Japanese Government Scholarship international student".
    /// A screening in flight that read no list holds the import back until it commits; the
    /// re-decision the import queues then reads the list and is the latest.
    @Test("an exclusions import waits for a screening in flight, and its re-decision is the latest")
    func importWaitsForScreeningInFlight() async throws {
        let s = try await SampleScenario.make()
        let worker = ScreeningWorker(database: s.database, inputs: ScreeningInputs(database: s.database))
        let inFlight = try await Connection.connect(s.database.conninfo)
        try await inFlight.simpleQuery("BEGIN")
        try await worker.decide(
            ApplicationsJob(program: "tgp-2026", items: [.init(applicantID: "S-01-base", revision: 1)]), on: inFlight)

        let list = try SampleScenario.exclusions(["reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1"])
        let importing = try TestDatabase.spawn(
            ["exclusions", "import", list, "--program", "tgp-2026"], database: s.database)
        let waits = try await TestDatabase.eventually(20) {
            try await s.database.pool.withConnection { c in
                try await c.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                    .first!.int("n") == 1
            }
        }
        #expect(waits, "the import waits for the decision in flight")
        #expect(importing.isRunning)
        try await inFlight.simpleQuery("COMMIT")
        await inFlight.close()
        importing.waitUntilExit()
        #expect(importing.terminationStatus == 0)
        try s.run(["drain"])

        let rows = try await s.database.pool.withConnection { c in
            try await c.query(
                "SELECT outcome, exclusions_version FROM decisions WHERE applicant_id = 'S-01-base' ORDER BY id")
        }
        #expect(try rows.map { try $0.string("outcome") } == ["eligible", "eligible", "ineligible"])
        #expect(try rows.map { try $0.int("exclusions_version") } == [0, 0, 1])
        #expect(try s.outcome("S-01-base") == "ineligible", "the decision that read the list is the latest")
        await s.database.close()
    }

    /// Guideline (10): "If an applicant is found to fall under these after being accepted, the
    /// support provided, such as scholarship, shall not, in principle, be granted." An admission
    /// that read the eligible decision and commits while the ineligible re-decision is being made
    /// still gets the flag: the decision waits for the applicant's lifecycle lock, then sees the
    /// scholarship.
    @Test("an admission racing with the decision that makes the applicant ineligible is flagged")
    func admissionRacingWithTheDecision() async throws {
        let s = try await SampleScenario.make()
        let admission = try await Connection.connect(s.database.conninfo)
        try await admission.simpleQuery("BEGIN")
        // What the lifecycle worker does for `admitted`: its lock, the eligible decision it read,
        // the scholarship it stores.
        try await admission.query("SELECT pg_advisory_xact_lock(hashtext($1))", "lifecycle:tgp-2026:S-01-base")
        let program = try await ProgramStore(database: s.database).program("tgp-2026")
        let admitted = RecordedEvent(
            seq: 1, eventID: nil, event: .admitted(date: try #require(CalendarDate(iso: "2026-02-01"))))
        let scholarship = try #require(
            try LifecycleRules.fold(applicantID: "S-01-base", course: .master, events: [admitted], program: program))
        try await LifecycleStore.save(scholarship, program: "tgp-2026", on: admission)
        try await admission.query(
            """
            INSERT INTO lifecycle_events (program, applicant_id, type, body, status)
            VALUES ('tgp-2026', 'S-01-base', 'admitted', '{"applicant_id": "S-01-base", "type": "admitted", "date":
            "2026-02-01"}', 'applied')
            """)

        try s.run([
            "exclusions", "import",
            try SampleScenario.exclusions(["reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1"]),
            "--program", "tgp-2026",
        ])
        let drain = try TestDatabase.spawn(["drain"], database: s.database)
        let waits = try await TestDatabase.eventually(20) {
            try await s.database.pool.withConnection { c in
                try await c.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                    .first!.int("n") == 1
            }
        }
        #expect(waits, "the decision waits for the admission in flight")
        try await admission.simpleQuery("COMMIT")
        await admission.close()
        drain.waitUntilExit()
        #expect(try s.outcome("S-01-base") == "ineligible")
        #expect(try s.scholarshipFlags()["S-01-base"] == ["eligibility.changed"])
        await s.database.close()
    }

    /// Document files are read and hashed on threads of their own: bodies blocked there leave the
    /// cooperative pool free for other tasks.
    @Test("blocking document work does not occupy the cooperative pool", .timeLimit(.minutes(1)))
    func blockingWorkLeavesThePoolFree() async throws {
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let blocked = (0..<BlockingWork.width).map { _ in
            Task {
                await BlockingWork.run {
                    started.signal()
                    gate.wait()
                }
            }
        }
        for _ in blocked {
            await withCheckedContinuation { c in
                DispatchQueue.global().async {
                    started.wait()
                    c.resume()
                }
            }
        }
        // Every blocking-work slot is taken; cooperative tasks still run.
        let values = await withTaskGroup(of: Int.self) { group in
            for i in 0..<(ProcessInfo.processInfo.activeProcessorCount * 4) { group.addTask { i } }
            return await group.reduce(0, +)
        }
        #expect(values == (0..<(ProcessInfo.processInfo.activeProcessorCount * 4)).reduce(0, +))
        for _ in blocked { gate.signal() }
        for task in blocked { await task.value }
    }
}
