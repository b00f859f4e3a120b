import Foundation
import Lifecycle
import PropertyBased
import Screening
import Testing

/// Issue #21's property: over random event histories (dates, submission order, retractions,
/// holds, runs), the months paid are the months the fold owes at each run, never twice; the
/// statuses of a scholarship add up; the result does not depend on the order of submission.
@Suite("Fold and payments over random histories")
struct FoldPropertyTests {
    let program = try! Program.decode(
        Data(contentsOf: LifecycleRulesTests.repository.appendingPathComponent("db/programs/tgp-2026.json")))

    /// A small deterministic generator (SplitMix64) driven by the property's seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func bool() -> Bool { next() % 2 == 0 }
        mutating func date(from: String, days: Int) -> CalendarDate {
            let start = ISO8601DateFormatter().date(from: from + "T00:00:00Z")!
            let day = start.addingTimeInterval(Double(int(0...days)) * 86_400)
            let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: day)
            return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
        }
    }

    /// Random facts after an admission on 2026-03-20: an arrival, maybe a leave, reports, maybe a
    /// degree or a termination. Not all hold together; the worker's rule sorts that out.
    static func facts(_ r: inout Random) -> [LifecycleEvent] {
        var events: [LifecycleEvent] = [.arrived(date: r.date(from: "2026-03-01", days: 150))]
        if r.bool() {
            let start = r.date(from: "2026-05-01", days: 200)
            events.append(.leaveStarted(date: start))
            if r.bool() { events.append(.leaveEnded(date: r.date(from: "2026-12-01", days: 120))) }
        }
        for term in 0..<r.int(0...2) {
            events.append(
                .academicReport(
                    date: r.date(from: "2026-08-01", days: 300), term: "2026-\(term)",
                    gpa: Rational(r.int(180...300), 100)))
        }
        switch r.int(0...3) {
        case 0:
            events.append(
                .termination(
                    date: r.date(from: "2026-04-01", days: 400), reason: .health, detail: nil,
                    creditsCompleted: nil, supportKind: nil))
        case 1: events.append(.degreeAwarded(date: r.date(from: "2027-06-01", days: 400)))
        default: break
        }
        if r.bool() { events.append(.arrived(date: r.date(from: "2026-03-01", days: 150))) }
        return events
    }

    /// What the lifecycle worker does: each event in submission order is accepted when the
    /// accepted set with it folds; a retraction removes an accepted event when the rest folds.
    func submit(_ events: [LifecycleEvent], retract: Set<Int>) -> [RecordedEvent] {
        var accepted = [RecordedEvent(seq: 0, eventID: "adm", event: .admitted(date: CalendarDate(iso: "2026-03-20")!))]
        for (i, event) in events.enumerated() {
            let candidate = RecordedEvent(seq: Int64(i + 1), eventID: "e\(i)", event: event)
            if (try? LifecycleRules.fold(
                applicantID: "A", course: .master, events: accepted + [candidate], program: program,
                newest: candidate.seq)) != nil
            {
                accepted.append(candidate)
            }
        }
        for seq in retract.sorted() {
            let rest = accepted.filter { $0.seq != Int64(seq) || $0.seq == 0 }
            if (try? LifecycleRules.fold(applicantID: "A", course: .master, events: rest, program: program)) != nil {
                accepted = rest
            }
        }
        return accepted
    }

    /// Submission numbers differ between orders: only whether the latest report is low counts.
    static func normalized(_ s: Scholarship?) -> Scholarship? {
        guard var s else { return nil }
        s.lowReport = s.lowReport == nil ? nil : 0
        return s
    }

    @Test("a set that holds together folds to the same scholarship in any order of submission")
    func orderIndependence() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var r = Random(state: UInt64(seed))
            let events = Self.facts(&r)
            let first = submit(events, retract: [])
            let folded = try? LifecycleRules.fold(applicantID: "A", course: .master, events: first, program: program)
            // Submit the events that were accepted again, shuffled (a leave's end stays after its start:
            // a leave_ended with none open is rejected by rule, whatever came later).
            var kept = first.dropFirst().map(\.event)
            for i in stride(from: kept.count - 1, to: 0, by: -1) { kept.swapAt(i, r.int(0...i)) }
            if let s = kept.firstIndex(where: { if case .leaveStarted = $0 { true } else { false } }),
                let e = kept.firstIndex(where: { if case .leaveEnded = $0 { true } else { false } }), e < s
            {
                kept.swapAt(s, e)
            }
            let second = submit(kept, retract: [])
            #expect(second.count == first.count, "every event of a consistent set is accepted in any order")
            let again = try? LifecycleRules.fold(applicantID: "A", course: .master, events: second, program: program)
            #expect(Self.normalized(again) == Self.normalized(folded))
        }
    }

    @Test("runs pay each owed month once; statuses add up; retractions and holds never pay twice")
    func paymentsFollowTheFold() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var r = Random(state: UInt64(seed))
            let events = Self.facts(&r)
            var ledger: [YearMonth: PaidMonth] = [:]
            var submitted: [LifecycleEvent] = []
            var retracted = Set<Int>()
            var month = YearMonth(year: 2026, month: 4)!
            var pending = events
            for run in 0..<30 {
                // Between runs: some facts arrive (late ones too), maybe a retraction, maybe a hold.
                while !pending.isEmpty && r.int(0...2) == 0 { submitted.append(pending.removeFirst()) }
                if r.int(0...9) == 0, !submitted.isEmpty { retracted.insert(r.int(1...submitted.count)) }
                let accepted = submit(submitted, retract: retracted)
                guard
                    var s = try? LifecycleRules.fold(
                        applicantID: "A", course: .master, events: accepted, program: program)
                else {
                    Issue.record("the accepted set must always fold")
                    return
                }
                s.flags = r.int(0...3) == 0 ? [Scholarship.officerHoldFlag] : []
                // Two runs of the same month (two processes): the second finds nothing more.
                for _ in 0..<2 {
                    let current = PaymentPosition(
                        scholarship: s, paid: Array(ledger.values), reachedThrough: month, pendingEvents: false)
                    for m in current.payable(through: month) {
                        #expect(ledger[m] == nil, "never paid twice")
                        #expect(s.standing(of: m) == .owed, "only owed months are paid")
                        #expect(s.flags.isEmpty, "nothing is paid while a hold is open")
                        ledger[m] = PaidMonth(month: m, yen: s.monthlyYen, runID: Int64(run))
                    }
                }
                let after = PaymentPosition(
                    scholarship: s, paid: Array(ledger.values), reachedThrough: month, pendingEvents: false)
                let lines = after.lines
                #expect(Set(lines.map(\.month)).count == lines.count, "one line a month")
                let paidYen = lines.filter { $0.status == .paid || $0.status == .overpaid }.reduce(0) { $0 + $1.yen }
                #expect(paidYen == after.paidYen, "paid + overpaid is what went out")
                #expect(
                    after.paidYen - after.overpaidYen
                        == lines.filter { $0.status == .paid }.reduce(0) { $0 + $1.yen })
                for line in lines
                where line.month <= month && s.standing(of: line.month) == .owed && ledger[line.month] == nil {
                    #expect(line.status == .held, "an owed month reached by a run is paid or held")
                }
                if r.bool() { month = month.adding(months: 1) }
            }
        }
    }
}
