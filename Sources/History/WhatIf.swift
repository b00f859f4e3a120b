import Foundation
import Partners
import Postgres
import Screening
import Store

/// Decides every application's latest revision under changed program data, in memory, and lists
/// what would change (interface §7, `bursar whatif`). Nothing is stored: it only reads.
public struct WhatIf: Sendable {
    public let database: Database
    public let rules: RuleSet

    public init(database: Database, rules: RuleSet = .tokyoGlobalPartner) {
        self.database = database
        self.rules = rules
    }

    /// The data to change; each replaces only the data it names.
    public struct Changes: Sendable {
        /// A new program definition.
        public var program: Program?
        /// A new partner list (the officers' decisions on spellings are kept, as an import keeps them).
        public var partners: [Partner]?
        /// Exclusion lists: each list named replaces the list of that name.
        public var exclusions: [ExclusionImpact.Entry]?

        public init(program: Program? = nil, partners: [Partner]? = nil, exclusions: [ExclusionImpact.Entry]? = nil) {
            self.program = program
            self.partners = partners
            self.exclusions = exclusions
        }
    }

    /// An application whose outcome would change.
    public struct Flip: Sendable, Equatable {
        public let applicantID: String
        public let from: Outcome
        public let to: Outcome
        /// The clauses whose status would change (and `eligibility.2` when its categories would).
        public let clauses: [String]
        /// The applicant holds a scholarship.
        public let admitted: Bool
        /// For an admitted applicant, what the new decision would do to the pay (interface §3).
        public let pay: PayEffect?
    }

    /// What a re-decision does to an admitted applicant's pay under interface §3 (v1.2).
    public enum PayEffect: String, Sendable {
        /// A (10) clause gets worse: `eligibility.changed` is raised and payments are held.
        case held
        /// Other clauses: the decision is recorded, `review list` shows it, nothing is held.
        case unchanged
    }

    public struct Report: Sendable {
        public let program: String
        public let applications: Int
        /// Outcome changes, admitted scholarships first, then by the new outcome.
        public let flips: [Flip]
        /// Clause changes without an outcome change (`from` = `to`).
        public let clauseChanges: [Flip]
        public var changed: Int { flips.count }
    }

    /// Decides every application of `program` under `changes`.
    public func run(program: String, changes: Changes, chunk: Int = 2_000) async throws -> Report {
        let setup = try await database.pool.withConnection { connection in
            try await Self.inForce(program: program, changes: changes, rules: rules, on: connection)
        }
        let chunks = stride(from: 0, to: setup.ids.count, by: chunk).map {
            Array(setup.ids[$0..<min(setup.ids.count, $0 + chunk)])
        }
        let lanes = ProcessInfo.processInfo.activeProcessorCount + 1
        var flips: [Flip] = []
        var clauseChanges: [Flip] = []
        try await withThrowingTaskGroup(of: [Flip].self) { group in
            var next = 0
            func start() {
                guard next < chunks.count else { return }
                let ids = chunks[next]
                next += 1
                group.addTask {
                    let rows = try await database.pool.withConnection { connection in
                        try await HistoryStore.current(program: program, applicants: ids, on: connection)
                    }
                    return try rows.compactMap {
                        try Self.compare($0, maker: setup.maker, duplicates: setup.duplicates)
                    }
                }
            }
            for _ in 0..<lanes { start() }
            while let found = try await group.next() {
                for flip in found {
                    if flip.from == flip.to { clauseChanges.append(flip) } else { flips.append(flip) }
                }
                start()
            }
        }
        let order: [Outcome] = [.ineligible, .withdrawn, .incomplete, .needsReview, .eligible, .pending]
        func rank(_ o: Outcome) -> Int { order.firstIndex(of: o) ?? order.count }
        flips.sort {
            ($0.admitted ? 0 : 1, rank($0.to), rank($0.from), $0.applicantID) < (
                $1.admitted ? 0 : 1, rank($1.to), rank($1.from), $1.applicantID
            )
        }
        clauseChanges.sort { ($0.admitted ? 0 : 1, $0.applicantID) < ($1.admitted ? 0 : 1, $1.applicantID) }
        return Report(program: program, applications: setup.ids.count, flips: flips, clauseChanges: clauseChanges)
    }

    /// The data in force with `changes` applied, and the duplicates found among the applications.
    struct Setup: Sendable {
        let ids: [String]
        let maker: DecisionMaker
        let duplicates: [String: [String]]
    }

    static func inForce(program id: String, changes: Changes, rules: RuleSet, on connection: Connection) async throws
        -> Setup
    {
        let versions = try await ProgramData.versions(program: id, on: connection)
        let program: Program
        if let changed = changes.program {
            program = changed
        } else {
            program = try await ProgramStore.program(id, on: connection)
        }
        let current = try await PartnerStore.matcher(program: id, on: connection)
        let partners = PartnerData(
            partners: changes.partners ?? current.matcher.partners, confirmed: current.confirmed,
            rejected: current.rejected)
        var exclusions: [ExclusionImpact.Entry] = []
        if versions.exclusions > 0,
            let snapshot = try await ProgramData.snapshot(
                .exclusions, program: id, version: versions.exclusions, on: connection)
        {
            exclusions = try ProgramDataSnapshot.exclusions(snapshot, version: versions.exclusions)
        }
        if let replacing = changes.exclusions {
            let lists = Set(replacing.map(\.list))
            exclusions = exclusions.filter { !lists.contains($0.list) } + replacing
        }
        let (identities, withdrawn) = try await HistoryStore.identities(program: id, on: connection)
        let maker = DecisionMaker(
            program: program, rules: rules, partners: partners.matcher(), exclusions: exclusions,
            withdrawn: withdrawn)
        return Setup(
            ids: try await HistoryStore.applicantIDs(program: id, on: connection), maker: maker,
            duplicates: duplicates(identities, withdrawn: withdrawn))
    }

    /// The other applicants each applicant is the same person as (interface §4: same birth date, a
    /// shared citizenship, the same name), less those an officer withdrew.
    static func duplicates(_ identities: [HistoryStore.Identity], withdrawn: [String: String]) -> [String: [String]] {
        let open = identities.filter { withdrawn[$0.applicantID] == nil }
        var found: [String: [String]] = [:]
        for (_, people) in Dictionary(grouping: open, by: \.birthDate) where people.count > 1 {
            for person in people {
                let others = people.filter {
                    $0.applicantID != person.applicantID
                        && $0.citizenships.contains(where: person.citizenships.contains)
                        && person.name.match($0.name) == .same
                }
                if !others.isEmpty { found[person.applicantID] = others.map(\.applicantID).sorted() }
            }
        }
        return found
    }

    /// The application decided under the changed data against its stored latest decision; nil
    /// when nothing would change.
    static func compare(_ row: HistoryStore.Current, maker: DecisionMaker, duplicates: [String: [String]]) throws
        -> Flip?
    {
        let application = try DecisionMaker.application(row.content)
        let documents = try row.checks.map { try DocumentCheck.parse($0) } ?? []
        let decision = maker.decide(application, documents: documents, duplicates: duplicates[row.applicantID] ?? [])
        let from = row.stored?.outcome ?? .pending
        func statuses(failed: [String], review: [String]) -> [String: Int] {
            var ranks: [String: Int] = [:]
            for clause in review { ranks[clause] = 1 }
            for clause in failed { ranks[clause] = 2 }
            return ranks
        }
        let before = row.stored.map { statuses(failed: $0.failed, review: $0.review) } ?? [:]
        let after = statuses(failed: decision.failed, review: decision.review)
        var clauses = Set(before.keys).union(after.keys).filter { before[$0, default: 0] != after[$0, default: 0] }
        if let stored = row.stored, stored.categories != decision.categories { clauses.insert("eligibility.2") }
        guard from != decision.outcome || !clauses.isEmpty else { return nil }
        var pay: PayEffect?
        if row.admitted {
            let worse = clauses.contains {
                $0.hasPrefix("eligibility.10") && after[$0, default: 0] > before[$0, default: 0]
            }
            pay = worse ? .held : .unchanged
        }
        return Flip(
            applicantID: row.applicantID, from: from, to: decision.outcome, clauses: clauses.sorted(),
            admitted: row.admitted,
            pay: pay)
    }
}
