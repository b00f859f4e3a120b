import Partners
import Store
import Testing

/// What `bursar partners import` reports as changed (issue 13: "shows what changes (added,
/// removed, renamed)").
@Suite("Partner list changes")
struct PartnerListChangeTests {
    let wide = [Partner.Agreement(level: "全学")]

    @Test("added, removed, renamed (by Japanese name or by a kept name) and changed institutions")
    func kindsOfChange() {
        let old = [
            Partner(
                name: "University of Bayreuth", japaneseName: "バイロイト大学", country: "DE", agreements: wide),
            Partner(name: "Old Name Institute", country: "TH", agreements: wide),
            Partner(
                name: "Chulalongkorn University", japaneseName: "チュラロンコン大学", country: "TH",
                agreements: wide),
            Partner(name: "Gone University", country: "VN", agreements: wide),
        ]
        let new = [
            Partner(
                name: "Universität Bayreuth", japaneseName: "バイロイト大学", country: "DE", agreements: wide),
            Partner(name: "New Name Institute", country: "TH", agreements: wide, aliases: ["Old Name Institute"]),
            Partner(
                name: "Chulalongkorn University", japaneseName: "チュラロンコン大学", country: "TH",
                agreements: wide + [Partner.Agreement(level: "部局間", department: "Architecture")]),
            Partner(name: "Fresh University", country: "VN", agreements: wide),
        ]
        let change = PartnerListChange(old: old, new: new)
        #expect(change.added.map(\.description) == ["Fresh University (VN)"])
        #expect(change.removed.map(\.description) == ["Gone University (VN)"])
        #expect(
            change.renamed.map { "\($0.from) → \($0.to.name)" } == [
                "University of Bayreuth (DE) → Universität Bayreuth",
                "Old Name Institute (TH) → New Name Institute",
            ])
        #expect(
            change.changed.map { "\($0.institution): \($0.fields.joined(separator: ", "))" } == [
                "Chulalongkorn University (TH): agreements"
            ])
        #expect(change.lines.first == "1 added, 1 removed, 2 renamed, 1 changed")
        #expect(PartnerListChange(old: old, new: old).isEmpty)
    }

    @Test("the same name in another country is not a renaming")
    func anotherCountryIsAnotherInstitution() {
        let change = PartnerListChange(
            old: [Partner(name: "A University", japaneseName: "A大学", country: "TH", agreements: wide)],
            new: [Partner(name: "B University", japaneseName: "A大学", country: "VN", agreements: wide)])
        #expect(change.renamed.isEmpty)
        #expect(change.added.count == 1 && change.removed.count == 1)
    }
}
