import ArgumentParser
import Foundation
import Partners
import Screening
import Store

/// `bursar bench screening`: screening time per application over generated applications, as a
/// ratio to decoding the same records (baseline, same run).
struct ScreeningBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "screening", abstract: "Benchmark screening one application (pure, no database).",
                                                    discussion: "Example: bursar bench screening")
    @Option var applications = 100_000
    @Flag var json = false

    func run() throws {
        let home = try BursarHome.locate()
        let program = try Program.decode(try Data(contentsOf: home.appendingPathComponent("db/programs/tgp-2026.json")))
        // As the screening worker does: answers for a spelling are remembered per list version.
        let partners = CachedPartnerMatcher(PartnerMatcher(partners: try PartnerListCSV.parse(try String(contentsOf: home.appendingPathComponent("db/partners/tgp-2026.csv"), encoding: .utf8))))
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
        for app in apps {
            let checks = app.documents.map { DocumentCheck(type: $0.type, file: $0.file, problem: nil) }
            if screener.decide(app, documents: checks).outcome == .eligible { eligible += 1 }
        }
        let seconds = Date().timeIntervalSince(start)
        // The stored form of each decision (its trace as JSON), as the screening job writes it.
        let sample = apps.prefix(2000).map { app in
            screener.decide(app, documents: app.documents.map { DocumentCheck(type: $0.type, file: $0.file, problem: nil) })
        }
        let encodeStart = Date()
        for decision in sample { _ = DecisionTrace(decision).json }
        let encodeUS = Date().timeIntervalSince(encodeStart) / Double(sample.count) * 1e6
        let perApp = seconds / Double(apps.count) * 1e6
        let perDecode = decodeSeconds / Double(apps.count) * 1e6
        let fields = [("applications", String(apps.count)), ("screening_us_per_application", String(format: "%.2f", perApp)),
                      ("decode_us_per_application", String(format: "%.2f", perDecode)), ("ratio_to_decode", String(format: "%.2f", perApp / perDecode)),
                      ("trace_encode_us", String(format: "%.2f", encodeUS)),
                      ("eligible", String(eligible))]
        if json { printLine(JSONWriter.object(fields.map { ($0.0, $0.1.first!.isNumber ? $0.1 : JSONWriter.string($0.1)) })) }
        else { for (k, v) in fields { printLine("\(k): \(v)") } }
    }
}

/// `bursar bench partners`: time to match one name, as a ratio to an exact dictionary lookup.
struct PartnersBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "partners", abstract: "Benchmark matching one institution name.",
                                                    discussion: "Example: bursar bench partners")
    @Option var rounds = 20
    @Flag var json = false

    func run() throws {
        let home = try BursarHome.locate()
        let list = try PartnerListCSV.parse(try String(contentsOf: home.appendingPathComponent("db/partners/tgp-2026.csv"), encoding: .utf8))
        let cases = MatcherEvaluation.cases(csv: try String(contentsOf: home.appendingPathComponent("db/partners/tgp-2026-evaluation.csv"), encoding: .utf8))
        let matcher = PartnerMatcher(partners: list)
        let exact = Dictionary(list.map { ($0.name.lowercased(), $0.name) }, uniquingKeysWith: { a, _ in a })
        var hits = 0
        let baselineStart = Date()
        for _ in 0..<rounds { for c in cases where exact[c.name.lowercased()] != nil { hits += 1 } }
        let baseline = Date().timeIntervalSince(baselineStart) / Double(rounds * cases.count)
        let start = Date()
        for _ in 0..<rounds { for c in cases where matcher.match(institution: c.name, country: c.country).result == .matched { hits += 1 } }
        let perMatch = Date().timeIntervalSince(start) / Double(rounds * cases.count)
        let noCountryStart = Date()
        for c in cases { _ = matcher.match(institution: c.name, country: nil) }
        let noCountry = Date().timeIntervalSince(noCountryStart) / Double(cases.count)
        let fields = [("names", String(cases.count * rounds)), ("match_us", String(format: "%.1f", perMatch * 1e6)),
                      ("match_without_country_us", String(format: "%.1f", noCountry * 1e6)),
                      ("exact_lookup_us", String(format: "%.3f", baseline * 1e6)), ("ratio_to_exact_lookup", String(format: "%.0f", perMatch / baseline))]
        if json { printLine(JSONWriter.object(fields)) } else { for (k, v) in fields { printLine("\(k): \(v)") } }
        _ = hits
    }
}
