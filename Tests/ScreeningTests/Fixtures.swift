import Foundation
import Partners

@testable import Screening

/// Files of the repository (`db/`) and of `../shared`, found from this source file's path.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sample = repository.deletingLastPathComponent().appendingPathComponent("shared/examples/tgp-2026-sample")

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(relative), encoding: .utf8)
    }

    static let program: Program = try! Program.decode(
        Data(contentsOf: repository.appendingPathComponent("db/programs/tgp-2026.json")))
    static let partners = PartnerMatcher(partners: try! PartnerListCSV.parse(try! text("db/partners/tgp-2026.csv")))
    static let screener = Screener(program: program, partners: partners)

    /// The public sample's first record, a clean eligible application, as JSON text.
    static let baseRecord: String = {
        let text = try! String(contentsOf: sample.appendingPathComponent("batch.ndjson"), encoding: .utf8)
        return String(text.split(separator: "\n")[0])
    }()

    /// Decodes a record, failing the test run loudly when it is invalid.
    static func application(_ json: String) -> Application {
        switch ApplicationDecoder.decode(try! JSONParser.parse(json)) {
        case .success(let app): return app
        case .failure(let rejection): fatalError("fixture rejected: \(rejection)")
        }
    }

    /// Document checks that find every submitted document in order.
    static func goodDocuments(_ app: Application) -> [DocumentCheck] {
        app.documents.map { DocumentCheck(type: $0.type, file: $0.file, problem: nil) }
    }

    /// The base application with `change` applied.
    static func base(_ change: (inout Application) -> Void = { _ in }) -> Application {
        var app = application(baseRecord)
        change(&app)
        return app
    }

    static func decide(_ app: Application, exclusions: [ExclusionHit] = [], duplicates: [DuplicateHit] = []) -> Decision
    {
        screener.decide(app, documents: goodDocuments(app), exclusions: exclusions, duplicates: duplicates)
    }

    static func result(_ decision: Decision, _ id: String) -> ClauseResult {
        decision.clauses.first { $0.id == id }!
    }
}
