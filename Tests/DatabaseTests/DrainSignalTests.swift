import Foundation
import JobQueue
import Postgres
import Store
import Testing

/// Issue 26 (finding 2 and 5): `bursar drain` is listed by `bursar status` while it works, and
/// SIGINT stops it as it stops `bursard`: its jobs go back to the queue at once instead of
/// staying `running` until their leases lapse.
@Suite(
    .enabled(
        if: !(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] ?? "").isEmpty,
        "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct DrainSignalTests {
    private func running(_ database: Database) async throws -> Int {
        try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM bursar_jobs WHERE state = 'running'").first!.int("n")
        }
    }

    @Test func statusSeesADrainAndSIGINTReleasesItsJobs() async throws {
        let database = try await TestDatabase.migrated()
        let applicants = ["A-1", "A-2", "A-3"]
        // The lifecycle jobs block on their applicants' locks, held here: they stay in flight.
        let holder = try await Connection.connect(database.conninfo)
        for applicant in applicants {
            try await holder.query(
                "SELECT pg_advisory_lock(hashtext('lifecycle:' || $1 || ':' || $2))", "tgp-2026", applicant)
            try await database.queue.enqueue(
                try JobInsert(
                    kind: JobKinds.lifecycle, queue: "lifecycle",
                    arguments: LifecycleJob(program: "tgp-2026", applicantID: applicant)))
        }
        let drain = try TestDatabase.spawn(["drain", "--concurrency", "4"], database: database)
        let started = try await TestDatabase.eventually(30, every: 0.2) { try await running(database) == 3 }
        #expect(started)
        let seen = try await TestDatabase.eventually(15, every: 0.2) {
            let status = try TestDatabase.bursar(["status", "--json"], database: database)
            return status.output.contains("\"pid\":\(drain.processIdentifier)")
                && status.output.contains("\"in_flight\":3")
        }
        #expect(seen, "status lists the drain and its 3 jobs in flight")
        kill(drain.processIdentifier, SIGINT)
        drain.waitUntilExit()
        #expect(drain.terminationStatus == 130)
        #expect(try await running(database) == 0, "no job left running until its lease lapses")
        let available = try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM bursar_jobs WHERE state = 'available' AND attempt = 0")
                .first!.int("n")
        }
        #expect(available == 3, "released, their attempts uncounted")
        let after = try TestDatabase.bursar(["status"], database: database)
        #expect(after.output.contains("no process is working now"), "\(after.output)")
        await holder.close()
        await database.close()
    }
}
