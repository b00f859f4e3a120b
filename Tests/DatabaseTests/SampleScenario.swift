import Foundation
import Postgres
import Store

/// A migrated database holding the public sample batch, decided, driven through the `bursar`
/// CLI as an officer would.
struct SampleScenario {
    enum Failure: Error, CustomStringConvertible {
        case command([String], Int32, String)
        var description: String {
            switch self {
            case .command(let args, let status, let output):
                "bursar \(args.joined(separator: " ")) exited \(status): \(output)"
            }
        }
    }

    static let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
    let database: Database

    /// The sample submitted and drained.
    static func make() async throws -> SampleScenario {
        let scenario = SampleScenario(database: try await TestDatabase.migrated(poolSize: 4))
        try scenario.run(["submit", sample.appendingPathComponent("batch.ndjson").path])
        try scenario.run(["drain"])
        return scenario
    }

    /// `bursar ARGS`; throws unless it exits with `status`.
    @discardableResult
    func run(_ arguments: [String], status: Int32 = 0) throws -> String {
        let result = try TestDatabase.bursar(arguments, database: database)
        guard result.status == status else {
            throw Failure.command(arguments, result.status, result.output + result.error)
        }
        return result.output + result.error
    }

    /// The exported latest decision of every application.
    func decisions() throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for line in try run(["export", "decisions", "--format", "ndjson"]).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["applicant_id"] as? String
            else { continue }
            out[id] = object
        }
        return out
    }

    func outcome(_ applicantID: String) throws -> String? { try decisions()[applicantID]?["outcome"] as? String }

    /// How many decisions each applicant has had.
    func decisionCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await database.pool.withConnection({
            try await $0.query("SELECT applicant_id, count(*)::int AS n FROM decisions GROUP BY applicant_id")
        }) {
            counts[try row.string("applicant_id")] = try row.int("n")
        }
        return counts
    }

    /// The sample's record of `applicantID` as one NDJSON line.
    static func line(of applicantID: String) throws -> String {
        let batch = try String(contentsOf: sample.appendingPathComponent("batch.ndjson"), encoding: .utf8)
        guard
            let line = batch.split(separator: "\n").first(where: { $0.contains("\"applicant_id\": \"\(applicantID)\"") }
            )
        else {
            throw Failure.command(["(sample)"], 0, "no \(applicantID) in the sample")
        }
        return String(line)
    }

    /// A batch folder of its own (with a copy of the sample's documents) holding `lines`.
    static func batchFolder(_ lines: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bursar-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: sample.appendingPathComponent("docs"), to: folder.appendingPathComponent("docs"))
        try (lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("batch.ndjson"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Submits a new revision of a sample record, changed by `change`, and drains.
    func submitRevision(of applicantID: String, _ change: (String) -> String) throws {
        let original = try Self.line(of: applicantID)
        let revised = change(original)
        guard revised != original else {
            throw Failure.command(["(revision)"], 0, "the change left \(applicantID) as it was")
        }
        let folder = try Self.batchFolder([revised])
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try run(["submit", folder.appendingPathComponent("batch.ndjson").path])
        guard output.contains("accepted: 1") else { throw Failure.command(["submit"], 0, output) }
        try run(["drain"])
    }

    /// A temporary file holding `text`.
    static func file(_ text: String, suffix: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bursar-\(UUID().uuidString)\(suffix)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// An exclusion list CSV with `rows`.
    static func exclusions(_ rows: [String]) throws -> String {
        try file(
            (["list,family_name,given_name,birth_date,citizenship,clause,reference"] + rows).joined(separator: "\n")
                + "\n", suffix: ".csv")
    }

    /// Submits lifecycle events (NDJSON lines) and drains.
    func events(_ lines: [String]) throws {
        try run(["events", "submit", try Self.file(lines.joined(separator: "\n") + "\n", suffix: ".ndjson")])
        try run(["drain"])
    }

    /// The open flags of each scholarship.
    func scholarshipFlags() throws -> [String: [String]] {
        var flags: [String: [String]] = [:]
        for line in try run(["export", "scholarships"]).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["applicant_id"] as? String
            else { continue }
            flags[id] = object["flags"] as? [String] ?? []
        }
        return flags
    }
}
