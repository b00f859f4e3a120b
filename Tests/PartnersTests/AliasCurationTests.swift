import Partners
import Screening
import Testing

/// Issue 13: "curated aliases for local-language and current names, with their source, in
/// `db/partners`". Every alias of `tgp-2026.csv` has a row in `tgp-2026-aliases.csv` that says
/// what it is and where it comes from, and the two files agree.
@Suite("Curated aliases of tgp-2026")
struct AliasCurationTests {
    struct Row: Hashable {
        let partner: String
        let alias: String
        let kind: String
        let source: String
    }

    let partners = try! Fixtures.tgpPartners()
    let rows: [Row] = try! Fixtures.text("db/partners/tgp-2026-aliases.csv").split(separator: "\n").dropFirst().map {
        line in
        let fields = CSV.parseLine(String(line))
        return Row(partner: fields[0], alias: fields[1], kind: fields[2], source: fields[3])
    }

    @Test("every alias of the list has its kind and source, and every curated alias is on the list")
    func filesAgree() {
        let listed = Set(partners.flatMap { p in p.aliases.map { "\(p.name)|\($0)" } })
        let curated = Set(rows.map { "\($0.partner)|\($0.alias)" })
        #expect(listed.subtracting(curated).sorted() == [], "aliases without a source")
        #expect(curated.subtracting(listed).sorted() == [], "curated aliases missing from tgp-2026.csv")
        #expect(rows.count == curated.count, "each alias once")
        let kinds: Set<String> = ["local", "former", "current", "abbreviation", "english", "structure", "ocr"]
        for row in rows {
            #expect(kinds.contains(row.kind), "\(row.alias): kind \(row.kind)")
            #expect(!row.source.isEmpty, "\(row.alias) has a source")
        }
    }

    @Test("every institution outside the English-speaking countries has another name curated")
    func everyInstitutionHasItsForms() {
        let english: Set<String> = ["AU", "CA", "GB", "US", "GU", "PW"]
        let bare = partners.filter { !english.contains($0.country) && $0.aliases.isEmpty }.map(\.name)
        #expect(bare == ["Manila Observatory"], "institutions with only their listed names: \(bare)")
    }

    @Test("every alias matches its own institution and no other")
    func aliasesMatchTheirInstitution() {
        let matcher = NameMatchingTests.tgp
        for partner in partners {
            for name in partner.allNames {
                let got = matcher.match(institution: name, country: partner.country)
                #expect(
                    got.partner == partner.name,
                    "\(name) → \(got.result.rawValue) \(got.partner ?? ""): \(got.reason)")
            }
        }
    }
}
