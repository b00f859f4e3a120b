import Foundation
import Testing

@testable import Lifecycle
@testable import Screening

/// Count nouns in officers' words (issue 26 finding 5: "1 months", "3600000 yen"): singular for
/// one, plural otherwise, yen with thousands separators — in the scholarship's history too.
@Suite struct CountWordingTests {
    @Test func singularOnlyForOne() {
        #expect(Wording.count(1, "month") == "1 month")
        #expect(Wording.count(0, "month") == "0 months")
        #expect(Wording.count(2, "month") == "2 months")
        #expect(Wording.count(1, "entry", "entries") == "1 entry")
        #expect(Wording.count(3, "entry", "entries") == "3 entries")
        #expect(Wording.yen(3_600_000) == "3,600,000 yen")
        #expect(Wording.yen(-150_000) == "-150,000 yen")
        #expect(Wording.yen(999) == "999 yen")
    }

    /// The admission line of `payments show`/`show`: "1 month of 150,000 yen", never "1 months".
    @Test(arguments: [(1, "1 month of 150,000 yen"), (24, "24 months of 150,000 yen")])
    func admissionHistoryLine(months: Int, expected: String) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var program = try Program.decode(
            Data(contentsOf: repository.appendingPathComponent("db/programs/tgp-2026.json")))
        program.durationMonths.master = months
        let admitted = LifecycleEvent.admitted(date: CalendarDate(iso: "2026-02-10")!)
        let scholarship = try #require(
            try LifecycleRules.fold(
                applicantID: "A", course: .master, events: [RecordedEvent(seq: 1, eventID: nil, event: admitted)],
                program: program))
        let line = try #require(scholarship.history.first)
        #expect(line.contains(expected), "\(line)")
        #expect(!line.contains(" 1 months"), "\(line)")
    }
}
