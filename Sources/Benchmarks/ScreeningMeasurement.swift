import Formats
import Foundation
import Partners
import Screening
import Store

/// `bursar bench screening`'s measurement: screening time per application over generated
/// applications, as a ratio to decoding the same records (the baseline, same run). Pure: no
/// database.
public struct ScreeningMeasurement: Sendable {
    /// Applications generated and screened.
    public var applications = 100_000

    public init() {}

    /// Measures and returns the report's fields in order (name, JSON value).
    public func run() throws -> [(String, String)] {
        let home = try BursarHome.locate()
        let definition = try Data(contentsOf: home.appendingPathComponent("db/programs/tgp-2026.json"))
        let program = try Program.decode(definition)
        let list = try String(contentsOf: home.appendingPathComponent("db/partners/tgp-2026.csv"), encoding: .utf8)
        // As the screening worker does: answers for a spelling are remembered per list version.
        let partners = CachedPartnerMatcher(PartnerMatcher(partners: try PartnerListCSV.parse(list)))
        let records = SyntheticBatch.records(count: applications)
        let decodeStart = Date()
        var apps: [Application] = []
        apps.reserveCapacity(records.count)
        for record in records {
            if case .success(let app) = ApplicationDecoder.decode(try JSONParser.parse(record)) { apps.append(app) }
        }
        let decodeSeconds = Date().timeIntervalSince(decodeStart)
        let screener = Screener(program: program, partners: partners)
        let start = Date()
        var eligible = 0
        for app in apps where screener.decide(app, documents: Self.checked(app)).outcome == .eligible {
            eligible += 1
        }
        let seconds = Date().timeIntervalSince(start)
        // The stored form of each decision (its trace as JSON), as the screening job writes it.
        let sample = apps.prefix(2000).map { screener.decide($0, documents: Self.checked($0)) }
        let encodeStart = Date()
        for decision in sample { _ = DecisionTrace(decision).json }
        let encodeUS = Date().timeIntervalSince(encodeStart) / Double(sample.count) * 1e6
        let perApp = seconds / Double(apps.count) * 1e6
        let perDecode = decodeSeconds / Double(apps.count) * 1e6
        return [
            ("applications", String(apps.count)),
            ("screening_us_per_application", String(format: "%.2f", perApp)),
            ("decode_us_per_application", String(format: "%.2f", perDecode)),
            ("ratio_to_decode", String(format: "%.2f", perApp / perDecode)),
            ("trace_encode_us", String(format: "%.2f", encodeUS)),
            ("eligible", String(eligible)),
        ]
    }

    /// Every document of `app` checked and found in order.
    private static func checked(_ app: Application) -> [DocumentCheck] {
        app.documents.map { DocumentCheck(type: $0.type, file: $0.file, problem: nil) }
    }
}
