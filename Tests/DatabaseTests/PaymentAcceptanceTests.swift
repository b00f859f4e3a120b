import Foundation
import Lifecycle
import Store
import Testing

/// Issue 11's acceptance: payment runs interleaved with events, imports and revisions pay each
/// owed month exactly once and nothing else — every month run twice at once (two `bursar`
/// processes) and once more after, counting the lines of every bank-transfer file.
@Suite("Payments: each owed month exactly once", .enabled(if: databaseAvailable))
struct PaymentAcceptanceTests {
    typealias T = PaymentSettlementTests

    @Test("six months of runs, interleaved with events, an import and a revision")
    func everyOwedMonthOnce() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(
            T.admitted("S-01-base"), T.admitted("S-07-partner-only"), T.admitted("S-08-sister-city"),
            T.admitted("S-12-pattern6-subjects"),
            T.arrived("S-08-sister-city", on: "2026-03-28"), T.arrived("S-12-pattern6-subjects", on: "2026-03-28"))
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
        for month in ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"] {
            switch month {
            case "2026-05":
                // Recorded in May: S-01 arrived within the month; S-07's GPA is low (held once it arrives).
                try await s.events(
                    T.arrived("S-01-base", on: "2026-04-20"),
                    T.report("S-07-partner-only", on: "2026-05-10", term: "2025-2", gpa: "2.10"))
                #expect(
                    try s.cli([
                        "exclusions", "import", sample.appendingPathComponent("exclusions.csv").path, "--program",
                        "tgp-2026",
                    ]).status == 0)
                try await s.drain()
            case "2026-06":
                // S-07 arrives late: April and May were never owed.
                try await s.events(T.arrived("S-07-partner-only", on: "2026-06-10"))
                // The same batch again is unchanged: nothing is decided or paid differently.
                #expect(try s.cli(["submit", sample.appendingPathComponent("batch.ndjson").path]).status == 0)
                try await s.drain()
            case "2026-07":
                #expect(
                    try s.cli([
                        "flags", "clear", "S-07-partner-only", Scholarship.lowGPAFlag, "--reason",
                        "recovery plan agreed",
                    ]).status == 0)
            case "2026-08":
                // Recorded before the August run: S-12's support ended on 31 July.
                try await s.events(T.terminated("S-12-pattern6-subjects", on: "2026-07-31", reason: "transfer"))
            default:
                break
            }
            async let one = Task.detached { try s.run(month) }.value
            async let two = Task.detached { try s.run(month) }.value
            let (a, b) = try await (one, two)
            let again = try s.run(month)
            #expect(
                Set(a.paid.map { "\($0.applicant_id) \($0.month)" }).isDisjoint(
                    with: b.paid.map { "\($0.applicant_id) \($0.month)" }))
            #expect(again.paid.isEmpty, "a month already paid is never paid again (\(month))")
        }
        func months(_ id: String, _ list: [String]) -> [String] { list.map { "\(id) 2026-\($0) 150000" } }
        let expected =
            (months("S-01-base", ["04", "05", "06", "07", "08", "09"])
            + months("S-07-partner-only", ["06", "07", "08", "09"])
            + months("S-08-sister-city", ["04", "05", "06", "07", "08", "09"])
            + months("S-12-pattern6-subjects", ["04", "05", "06", "07"])).sorted()
        #expect(try s.transferred() == expected)
        #expect(try await s.count("SELECT count(*)::int AS n FROM payments WHERE status = 'paid'") == expected.count)
        let shown = try s.show("S-07-partner-only")
        #expect(shown["2026-04"] == nil && shown["2026-06"] == "paid" && shown["2026-10"] == "scheduled")
        await s.finish()
    }
}
