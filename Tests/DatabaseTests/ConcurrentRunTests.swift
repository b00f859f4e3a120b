import Foundation
import Lifecycle
import Postgres
import Store
import Testing

/// Issue #21's property, its database half: a handful of random histories (late arrivals,
/// retractions, officer holds) with two `bursar payments run` processes started at once for each
/// month. Every month the fold owes and nothing holds is paid exactly once; nothing else is paid.
@Suite("Two payment runs at once over random histories")
struct ConcurrentRunTests {
    typealias E = PaymentSettlementTests
    static let scholars = ["S-01-base", "S-08-sister-city", "S-12-pattern6-subjects"]

    @Test("two processes running each month pay each owed month once", arguments: [11, 29, 47])
    func twoRunsAtOnce(seed: Int) async throws {
        var r = FoldSeed(state: UInt64(seed))
        let s = try await LifecycleScenario.start()
        try await s.events(E.admitted(Self.scholars[0]), E.admitted(Self.scholars[1]), E.admitted(Self.scholars[2]))
        var arrived = Set<String>()
        for month in ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"] {
            for id in Self.scholars {
                if !arrived.contains(id), r.int(0...2) == 0 {
                    arrived.insert(id)
                    // A wrong arrival now and then, retracted and recorded again.
                    if r.bool() {
                        try await s.events(
                            #"{"event_id": "w-\#(id)", "type": "arrived", "applicant_id": "\#(id)", "#
                                + #""date": "2026-07-15"}"#
                        )
                        try await s.events(
                            #"{"type": "retraction", "applicant_id": "\#(id)", "retracts": "w-\#(id)", "#
                                + #""reason": "typo"}"#
                        )
                    }
                    try await s.events(E.arrived(id, on: "2026-0\(r.int(3...5))-\(10 + r.int(0...18))"))
                }
                if r.int(0...4) == 0 {
                    _ = try s.cli(["payments", r.bool() ? "hold" : "release", id, "--reason", "random"])
                }
            }
            let args = ["payments", "run", "--month", month, "--folder", s.folder.path, "--today", "\(month)-28"]
            let a = try TestDatabase.spawn(args, database: s.database)
            let b = try TestDatabase.spawn(args, database: s.database)
            a.waitUntilExit()
            b.waitUntilExit()
            #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
            for id in Self.scholars {
                let shown = try s.show(id)
                for (m, status) in shown where m <= month {
                    #expect(status != "overpaid" && status != "scheduled", "\(id) \(m) \(status)")
                    if status == "due" {
                        #expect(!arrived.contains(id), "an owed month reached by a run is paid or held")
                    }
                }
            }
        }
        let transferred = try s.transferred()
        #expect(Set(transferred).count == transferred.count, "no month is in two bank files")
        let ledger = try await s.count("SELECT count(*)::int AS n FROM payments WHERE status = 'paid'")
        #expect(ledger == transferred.count, "every paid month is a line of exactly one file")
        await s.finish()
    }
}

/// SplitMix64 for the database property (the pure one has its own in LifecycleTests).
struct FoldSeed {
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
}
