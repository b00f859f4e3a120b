import Formats
import Foundation
import History
import Intake
import Partners
import Screening
import Store

/// `bursar bench whatif --applications N`'s measurement: a what-if over N stored applications (a
/// partner list without one institution), as a ratio to the single-core validation baseline of
/// the same batch measured in the same run (`bench pipeline`'s baseline). It works in a program
/// of its own (`bench-whatif`, a copy of tgp-2026) whose applications it replaces.
public struct WhatIfMeasurement: Sendable {
    /// Applications stored and decided before the what-if.
    public var applications = 100_000

    /// The benchmark's own program.
    public static let program = "bench-whatif"

    public init() {}

    /// Stores the applications and their decisions, then measures the what-if on `database`;
    /// returns the report's fields in order (name, JSON value).
    public func run(_ database: Database) async throws -> [(String, String)] {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bursar-whatif-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = folder.appendingPathComponent("batch.ndjson")
        let records = SyntheticBatch.records(0..<applications, program: Self.program, hashes: [:])
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: batch)
        let baselineSeconds = try PipelineMeasurement.validationBaseline(batch)
        var stored: [(Application, String)] = []
        for record in records {
            let value = try JSONParser.parse(record)
            if case .success(let app) = ApplicationDecoder.decode(value, defaultProgram: nil) {
                stored.append((app, value.canonicalText))
            }
        }
        let partners = try await BenchProgram.copy(as: Self.program, database: database)
        try await WhatIfBenchData.clear(program: Self.program, database: database)
        for start in stride(from: 0, to: stored.count, by: 10_000) {
            try await WhatIfBenchData.store(
                program: Self.program, applications: Array(stored[start..<min(stored.count, start + 10_000)]),
                database: database)
        }
        try await seedDecisions(stored, partners: partners, database: database)
        let without = partners.filter { $0.name != "Chulalongkorn University" }
        let start = Date()
        let report = try await WhatIf(database: database).run(
            program: Self.program, changes: .init(partners: without))
        let seconds = Date().timeIntervalSince(start)
        return [
            ("applications", String(report.applications)), ("changed", String(report.changed)),
            ("whatif_s", String(format: "%.2f", seconds)),
            ("baseline_validate_s", String(format: "%.2f", baselineSeconds)),
            ("ratio_to_baseline", String(format: "%.2f", seconds / baselineSeconds)),
        ]
    }

    /// The stored decisions a what-if compares with: each application decided under the data in force.
    private func seedDecisions(_ stored: [(Application, String)], partners: [Partner], database: Database) async throws
    {
        let program = try await ProgramStore(database: database).program(Self.program)
        let versions = try await database.pool.withConnection {
            try await ProgramData.versions(program: Self.program, on: $0)
        }
        let maker = DecisionMaker(
            program: program, partners: PartnerData(partners: partners, confirmed: [:], rejected: []).matcher(),
            exclusions: [], withdrawn: [:])
        for start in stride(from: 0, to: stored.count, by: 10_000) {
            let chunk = stored[start..<min(stored.count, start + 10_000)].map { app, _ in
                let documents = app.documents.map { DocumentCheck(type: $0.type, file: $0.file, problem: nil) }
                return DecisionStore.NewDecision(
                    decision: maker.decide(app, documents: documents, duplicates: []), revision: 1,
                    versions: versions, institution: app.affiliation.institution,
                    institutionCountry: app.affiliation.country, documentsVersion: 1)
            }
            try await WhatIfBenchData.decide(chunk, program: Self.program, database: database)
        }
    }
}
