import Foundation
import Postgres
import Store
import Testing

/// The commands an officer uses every day, through the real binary (interface §2, §5, §6).
@Suite("Officer CLI", .enabled(if: ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] != nil))
struct OfficerCLITests {
    static let sample = TestDatabase.repository.appendingPathComponent("examples/tgp-2026-sample")

    func bursar(_ arguments: [String], _ database: Database, environment: [String: String] = [:]) throws
        -> IntakeCorpusTests.Run
    {
        try IntakeCorpusTests.bursar(arguments, database: database, limit: 60, environment: environment)
    }

    /// The shipped sample, with S-07's institution written as "Bayreuth" (an uncertain match), submitted and decided.
    func decidedSample() async throws -> Database {
        let database = try await TestDatabase.migrated()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("officer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.sample.appendingPathComponent("docs"), to: folder.appendingPathComponent("docs"))
        let text = try String(contentsOf: Self.sample.appendingPathComponent("batch.ndjson"), encoding: .utf8)
            .replacingOccurrences(
                of: "\"institution\": \"University of Bayreuth\", \"kind\"",
                with: "\"institution\": \"Bayreuth\", \"kind\"")
        try text.write(to: folder.appendingPathComponent("batch.ndjson"), atomically: true, encoding: .utf8)
        let submitted = try bursar(["submit", folder.appendingPathComponent("batch.ndjson").path], database)
        #expect(submitted.status == 0, "\(submitted.output)\(submitted.error)")
        let drained = try bursar(["drain"], database)
        #expect(drained.status == 0, "\(drained.error)")
        return database
    }

    /// Found by trial: v1.2's features were in, and `--version` still said "interface v1.1".
    @Test("--version prints the version and the interface it implements (v1.2)")
    func version() async throws {
        let database = try await TestDatabase.migrated()
        let run = try bursar(["--version"], database)
        #expect(run.status == 0)
        #expect(run.output.contains("1.2.0 (interface v1.2)"), "\(run.output)")
        await database.close()
    }

    @Test("exit codes mean something: 1 when the job or queue does not exist or the action does not apply")
    func exitCodes() async throws {
        let database = try await decidedSample()
        let completed = try await database.pool.withConnection {
            try await $0.query("SELECT min(id) AS id FROM bursar_jobs WHERE state = 'completed'")[0].int64("id")
        }
        #expect(
            try bursar(["jobs", "retry", String(completed)], database).status == 1, "a completed job cannot be retried")
        #expect(
            try bursar(["jobs", "cancel", String(completed)], database).status == 1, "an ended job cannot be cancelled")
        #expect(try bursar(["jobs", "retry", "987654"], database).status == 1)
        #expect(try bursar(["jobs", "show", "987654"], database).status == 1)
        let shown = try bursar(["jobs", "show", String(completed), "--json"], database)
        #expect(shown.status == 0)
        let job = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any]
        #expect(job?["state"] as? String == "completed")

        let phantom = try bursar(["queues", "pause", "nosuchqueue"], database)
        #expect(phantom.status == 1)
        #expect(phantom.error.contains("no queue nosuchqueue"))
        let rows = try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM bursar_queues WHERE name = 'nosuchqueue'")[0].int("n")
        }
        #expect(rows == 0, "no queue is created")
        #expect(try bursar(["queues", "pause", "lifecycle"], database).status == 0)
        let again = try bursar(["queues", "pause", "lifecycle"], database)
        #expect(again.status == 1, "pausing a paused queue does not apply")
        #expect(again.error.contains("already paused"), "\(again.error)")
        let blank = try bursar(["queues", "resume", "lifecycle", "--reason", "  "], database)
        #expect(blank.status != 0 && blank.error.contains("--reason must say why"), "\(blank.error)")
        let twoLines = try bursar(["queues", "resume", "lifecycle", "--reason", "ok\nforged row"], database)
        #expect(twoLines.status != 0 && twoLines.error.contains("one line"), "\(twoLines.error)")
        let pauses = try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'queues.pause'")[0].int("n")
        }
        #expect(pauses == 1, "a pause that did not apply leaves no audit row")

        // status keeps its columns with a paused queue.
        let status = try bursar(["status"], database)
        let lines = status.output.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        let paused = try #require(lines.first { $0.hasPrefix("lifecycle (paused)") })
        let column = header.distance(
            from: header.startIndex, to: try #require(header.range(of: "available")).lowerBound)
        let cells = Array(paused)
        #expect(cells.count > column && cells[column] == "0" && cells[column - 1] == " ", "\(status.output)")
        #expect(try bursar(["queues", "resume", "lifecycle"], database).status == 0)

        let nope = try bursar(["export", "decisions", "--program", "nope"], database)
        #expect(nope.status == 1)
        #expect(nope.error.contains("no program nope"))
        #expect(try bursar(["export", "decisions"], database, environment: ["BURSAR_PROGRAM": "nope"]).status == 1)
        let named = try bursar(["export", "decisions"], database, environment: ["BURSAR_PROGRAM": "tgp-2026"])
        #expect(named.status == 0)
        #expect(named.output.split(separator: "\n").count == 16)
        await database.close()
    }

    @Test("review list: each needs_review application with its clauses and why, and the uncertain spellings")
    func reviewList() async throws {
        let database = try await decidedSample()
        let run = try bursar(["review", "list", "--program", "tgp-2026"], database)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("  S-07-partner-only (revision 1)\n    eligibility.2: "), "\(run.output)")
        #expect(run.output.contains("S-15-same-person-a"))
        #expect(run.output.contains("\"Bayreuth\" (Germany): 1 application"), "\(run.output)")

        let json = try bursar(["review", "list", "--json"], database)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let applications = try #require(report["applications"] as? [[String: Any]])
        let s07 = try #require(applications.first { $0["applicant_id"] as? String == "S-07-partner-only" })
        #expect((s07["review"] as? [[String: Any]])?.first?["clause"] as? String == "eligibility.2")
        let spellings = try #require(report["uncertain_spellings"] as? [[String: Any]])
        #expect(spellings.first?["spelling"] as? String == "Bayreuth")
        #expect(spellings.first?["applications"] as? Int == 1)

        let duplicates = try bursar(["duplicates", "list", "--json"], database)
        let pairs = try #require(
            try JSONSerialization.jsonObject(with: Data(duplicates.output.utf8)) as? [[String: Any]])
        #expect(pairs.contains { $0["applicant_id"] as? String == "S-15-same-person-a" })
        await database.close()
    }

    @Test("show: the applicant's name, countries by name, \"doctoral course\", REVIEW rows aligned")
    func showForAPerson() async throws {
        let database = try await decidedSample()
        let berlin = try bursar(["show", "S-08-sister-city"], database)
        #expect(berlin.output.contains("Berlin (Germany)"), "\(berlin.output)")
        #expect(!berlin.output.contains("(DE)"))
        #expect(berlin.output.contains("Applies only to applicants for the doctoral course."), "\(berlin.output)")
        let name = try await ReviewStore(database: database).name(program: "tgp-2026", applicantID: "S-08-sister-city")
        #expect(
            berlin.output.hasPrefix("Applicant S-08-sister-city (\(name!.given) \(name!.family))"), "\(berlin.output)")

        let review = try bursar(["show", "S-07-partner-only"], database)
        let clauseLines = review.output.split(separator: "\n").filter {
            $0.contains(" eligibility.") && $0.hasPrefix("  ")
        }
        let columns = Set(
            clauseLines.map { $0.distance(from: $0.startIndex, to: $0.range(of: "eligibility.")!.lowerBound) })
        #expect(clauseLines.contains { $0.hasPrefix("  REVIEW eligibility.2") }, "\(review.output)")
        #expect(columns.count == 1, "clause ids start in one column: \(review.output)")
        await database.close()
    }
}
