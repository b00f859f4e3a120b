import Foundation
import Store
import Testing

/// Interface §4 (v1.2): "an import is a new definition version (audited) and re-decides every
/// application of the program … A scholarship's schedule follows the definition version in force
/// at its `admitted`." Found by trial: importing a definition with a higher stipend paid every
/// scholarship already admitted at the new rate, back to its first month, and the excess never
/// showed as overpaid.
@Suite("A scholarship follows the definition in force at its admission", .enabled(if: databaseAvailable))
struct DefinitionInForceTests {
    /// `bursar programs import` of tgp-2026's definition with another stipend (a new version).
    static func importStipend(_ yen: Int, _ s: LifecycleScenario) throws {
        let shown = try s.cli(["programs", "show", "tgp-2026", "--json"])
        #expect(shown.status == 0)
        var definition = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as! [String: Any]
        definition["stipend_yen_per_month"] = yen
        definition["rule_set"] = "tgp-2026@9"
        let file = s.folder.deletingLastPathComponent().appendingPathComponent("definition-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: definition).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let imported = try s.cli(["programs", "import", file.path])
        #expect(imported.status == 0, "\(imported.error)")
    }

    @Test("a new definition's stipend applies to scholarships admitted after it, not to those admitted before")
    func newDefinitionLeavesAdmittedScholarshipsAlone() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(
            #"{"event_id": "adm-1", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-03-20"}"#,
            #"{"event_id": "arr-1", "type": "arrived", "applicant_id": "S-01-base", "date": "2026-03-25"}"#)
        _ = try s.run("2026-04")
        try Self.importStipend(200_000, s)
        try await s.drain()
        try await s.events(
            #"{"event_id": "adm-7", "type": "admitted", "applicant_id": "S-07-partner-only", "date": "2026-03-20"}"#,
            #"{"event_id": "arr-7", "type": "arrived", "applicant_id": "S-07-partner-only", "date": "2026-03-25"}"#)
        _ = try s.run("2026-05")
        #expect(
            try s.transferred() == [
                "S-01-base 2026-04 150000", "S-01-base 2026-05 150000",
                "S-07-partner-only 2026-04 200000", "S-07-partner-only 2026-05 200000",
            ])
        let overpaid = try s.cli(["payments", "overpaid", "--json"])
        #expect(!overpaid.output.contains("S-01-base"), "nothing of S-01-base was paid beyond what it is owed")
        await s.finish()
    }

    /// Review of the fix above: the lifecycle job that judges an admission had folded it with the
    /// definition current when the job ran, while every later fold uses the one in force when
    /// the admission was submitted — an import between the two made its recorded effect (and a
    /// definition whose durations changed, its date checks) disagree with what is paid.
    @Test("an admission judged after a newer definition was imported is folded with the one in force at its submission")
    func admissionJudgedAfterAnImport() async throws {
        let s = try await LifecycleScenario.start()
        let events = s.folder.deletingLastPathComponent().appendingPathComponent("events-\(UUID().uuidString).ndjson")
        try (#"{"event_id": "adm-1", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-03-20"}"#)
            .write(to: events, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: events) }
        #expect(try s.cli(["events", "submit", events.path]).status == 0)
        try Self.importStipend(200_000, s)
        // What the lifecycle job judging the still pending admission folds it with.
        let followed = try await s.database.pool.withConnection { connection in
            try await LifecycleStore.definitionsInForce(
                program: "tgp-2026", applicantID: "S-01-base", on: connection)["S-01-base"]
        }
        #expect(followed?.stipendYenPerMonth == 150_000, "\(String(describing: followed?.stipendYenPerMonth))")
        await s.finish()
    }
}
