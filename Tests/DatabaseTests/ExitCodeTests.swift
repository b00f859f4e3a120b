import Foundation
import Store
import Testing

/// Issue 26 finding 5: "exit codes 1 and 64 mixed for the same kind of bad argument". One table
/// over the binary: a usage error (unknown option, invalid value, options that cannot go
/// together) exits 64 (EX_USAGE, as ArgumentParser's own checks); what does not exist or does not
/// apply at run time exits 1; an unreadable file 2; and where interface.md names a code, that one.
@Suite(
    .enabled(
        if: !(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] ?? "").isEmpty,
        "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct ExitCodeTests {
    static let table: [(arguments: [String], status: Int32, why: String)] = [
        // Usage errors: 64.
        (["submit", "--nope"], 64, "unknown option"),
        (["jobs", "retry", "abc", "--reason", "x"], 64, "a job id is a number"),
        (["jobs", "list", "--state", "nope"], 64, "unknown state"),
        (["report", "decisions", "--json", "--csv"], 64, "options that cannot go together"),
        (["payments", "run", "--month", "2026-13"], 64, "bad month"),
        (["payments", "run", "--month", "April"], 64, "bad month"),
        (["payments", "list", "--month", "2026-4"], 64, "bad month"),
        (["payments", "explain", "S-1", "April"], 64, "bad month"),
        (["payments", "explain", "S-1", "2026-04", "--lang", "fr"], 64, "unknown language"),
        (
            ["payments", "run", "--month", "2026-04", "--transfer-date", "2026-04-20"], 64,
            "--transfer-date without --format zengin"
        ),
        (
            ["payments", "run", "--month", "2026-04", "--format", "zengin", "--transfer-date", "soon"], 64,
            "bad transfer date"
        ),
        (["audit", "--since", "yesterday"], 64, "bad day"),
        (["payments", "hold", "S-1", "--reason", " "], 64, "a blank reason"),
        (["flags", "clear", "S-1", "academic.gpa_below_2_3", "--reason", " "], 64, "a blank reason"),
        // Unreadable input: 2.
        (["submit", "/nonexistent/batch.ndjson"], 2, "missing file"),
        (["events", "submit", "/nonexistent/events.ndjson"], 2, "missing file"),
        (["exclusions", "import", "/", "--program", "tgp-2026"], 2, "a folder"),
        // Interface §3: a month after the current one is refused with 2.
        (["payments", "run", "--month", "2999-01"], 2, "a future month (interface §3)"),
        // Not found or does not apply at run time: 1.
        (["jobs", "retry", "999999999", "--reason", "x"], 1, "no such job"),
        (["queues", "pause", "nope", "--reason", "x"], 1, "no such queue"),
        (["payments", "show", "NOPE-1", "--program", "tgp-2026"], 1, "no such scholarship"),
        (["export", "decisions", "--program", "nope"], 1, "no such program"),
    ]

    @Test func eachKindOfBadArgumentHasOneCode() async throws {
        let database = try await TestDatabase.migrated()
        defer { Task { await database.close() } }
        for row in Self.table {
            let result = try TestDatabase.bursar(row.arguments, database: database)
            #expect(
                result.status == row.status,
                "\(row.arguments.joined(separator: " ")) (\(row.why)): exit \(result.status), \(result.error)")
            #expect(!result.error.isEmpty, "\(row.arguments.joined(separator: " ")) says why on standard error")
        }
    }
}
