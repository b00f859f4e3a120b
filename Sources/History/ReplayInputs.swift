import Foundation
import Partners
import Postgres
import Screening
import Store

/// The program data of kept versions, read once per version and shared by every decision that
/// recorded it: a ``DecisionMaker`` per combination of versions.
actor ReplayInputs {
    private let program: String
    private let rules: RuleSet
    private var programs: [Int: Program] = [:]
    private var partners: [Int: CachedPartnerMatcher] = [:]
    private var exclusions: [Int: [ExclusionImpact.Entry]] = [:]
    private var withdrawn: [Int: [String: String]] = [:]
    private var makers: [ProgramData.Versions: DecisionMaker] = [:]

    init(program: String, rules: RuleSet) {
        self.program = program
        self.rules = rules
    }

    /// A decision maker for each of `versions`, reading missing snapshots on `connection`.
    func makers(for versions: Set<ProgramData.Versions>, on connection: Connection) async throws
        -> [ProgramData.Versions: DecisionMaker]
    {
        let missing = versions.filter { makers[$0] == nil }
        if !missing.isEmpty {
            try await load(.definition, Set(missing.map(\.definition)).subtracting(programs.keys), on: connection) {
                programs[$0] = try ProgramDataSnapshot.program($1, version: $0)
            }
            try await load(.partners, Set(missing.map(\.partners)).subtracting(partners.keys), on: connection) {
                partners[$0] = try ProgramDataSnapshot.partners($1, version: $0).matcher()
            }
            try await load(.exclusions, Set(missing.map(\.exclusions)).subtracting(exclusions.keys), on: connection) {
                exclusions[$0] = try ProgramDataSnapshot.exclusions($1, version: $0)
            }
            try await load(.duplicates, Set(missing.map(\.duplicates)).subtracting(withdrawn.keys), on: connection) {
                withdrawn[$0] = try ProgramDataSnapshot.withdrawn($1, version: $0)
            }
            for v in missing {
                guard let program = programs[v.definition] else {
                    throw ProgramDataSnapshot.Unreadable(kind: .definition, version: v.definition, why: "not kept")
                }
                makers[v] = DecisionMaker(
                    program: program, rules: rules,
                    partners: partners[v.partners] ?? PartnerData(partners: [], confirmed: [:], rejected: []).matcher(),
                    exclusions: exclusions[v.exclusions] ?? [], withdrawn: withdrawn[v.duplicates] ?? [:])
            }
        }
        return makers.filter { versions.contains($0.key) }
    }

    /// Reads the snapshots of `versions` of `kind` (version 0: the program had no data of the
    /// kind — nothing to read) and hands each to `read`.
    private func load(
        _ kind: ProgramData.Kind, _ versions: Set<Int>, on connection: Connection,
        _ read: (Int, String) throws -> Void
    ) async throws {
        let wanted = versions.filter { $0 > 0 }
        guard !wanted.isEmpty else { return }
        let snapshots = try await HistoryStore.snapshots(kind, program: program, versions: wanted, on: connection)
        for version in wanted.sorted() {
            guard let snapshot = snapshots[version] else {
                throw ProgramDataSnapshot.Unreadable(kind: kind, version: version, why: "not kept")
            }
            try read(version, snapshot)
        }
    }
}
