import Foundation
import Postgres
import Screening
import Store

/// Makes stored decisions again from exactly what they recorded (the application revision, the
/// program data versions, the kept document checks, the duplicates found) and compares the result
/// with what was stored (interface §7, `bursar replay`).
public struct Replay: Sendable {
    public let database: Database
    /// The rules the code runs now; a test injects a changed one.
    public let rules: RuleSet

    public init(database: Database, rules: RuleSet = .tokyoGlobalPartner) {
        self.database = database
        self.rules = rules
    }

    /// One decision replayed.
    public struct Result: Sendable {
        public let applicantID: String
        public let program: String
        public let decision: Int64
        public let ruleSet: String
        public let comparison: DecisionComparison
        /// The stored rule set is retired: this build no longer runs it, the comparison is with the
        /// current rules.
        public let retired: Bool
    }

    /// No such applicant, or no such decision of the applicant (exit status 2).
    public struct NotFound: Error, CustomStringConvertible {
        public let description: String
    }

    /// Replays the decision `decisionID` of `applicantID` (its latest when nil).
    public func replay(applicantID: String, program: String?, decisionID: Int64?) async throws -> Result {
        let stored = try await database.pool.withConnection { connection in
            try await HistoryStore.decisions(applicantID: applicantID, program: program, on: connection)
        }
        guard !stored.isEmpty else {
            throw NotFound(
                description: "no decision for applicant_id \(applicantID)\(program.map { " in \($0)" } ?? "")")
        }
        if program == nil, Set(stored.map(\.program)).count > 1 {
            throw BursarError.input("\(applicantID) applied to several programs; name one with --program")
        }
        let chosen: HistoryStore.StoredDecision
        if let decisionID {
            guard let found = stored.first(where: { $0.id == decisionID }) else {
                throw NotFound(
                    description: "decision \(decisionID) is not a decision of \(applicantID); its decisions: "
                        + stored.map { String($0.id) }.joined(separator: ", "))
            }
            chosen = found
        } else {
            chosen = stored[stored.count - 1]
        }
        let inputs = ReplayInputs(program: chosen.program, rules: rules)
        return try await database.pool.withConnection { connection in
            try await Self.replay([chosen], program: chosen.program, inputs: inputs, on: connection)[0]
        }
    }

    /// What `replay --all` found.
    public struct Summary: Sendable {
        public let program: String
        public let replayed: Int
        public let identical: Int
        public let different: Int
        /// Decisions that differ, per clause named by a difference.
        public let byClause: [String: Int]
        /// The first differing decisions (at most 20), for the report.
        public let examples: [Result]
        /// Stored rule sets this build no longer runs.
        public let retired: [String]
    }

    /// Replays every stored decision of `program`, in chunks, on all cores; `progress` gets
    /// (done, total) after each chunk.
    public func replayAll(
        program: String, chunk: Int = 1_000,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Summary {
        let ids = try await database.pool.withConnection {
            try await HistoryStore.decisionIDs(program: program, on: $0)
        }
        let chunks = stride(from: 0, to: ids.count, by: chunk).map { Array(ids[$0..<min(ids.count, $0 + chunk)]) }
        let inputs = ReplayInputs(program: program, rules: rules)
        let lanes = max(2, ProcessInfo.processInfo.activeProcessorCount)
        var done = 0
        var identical = 0
        var byClause: [String: Int] = [:]
        var examples: [Result] = []
        var retired = Set<String>()
        try await withThrowingTaskGroup(of: [Result].self) { group in
            var next = 0
            func start() {
                guard next < chunks.count else { return }
                let ids = chunks[next]
                next += 1
                group.addTask {
                    try await database.pool.withConnection { connection in
                        let stored = try await HistoryStore.decisions(ids: ids, on: connection)
                        return try await Self.replay(stored, program: program, inputs: inputs, on: connection)
                    }
                }
            }
            for _ in 0..<lanes { start() }
            while let results = try await group.next() {
                for result in results {
                    if result.retired { retired.insert(result.ruleSet) }
                    if result.comparison.identical {
                        identical += 1
                    } else {
                        for clause in result.comparison.clauses { byClause[clause, default: 0] += 1 }
                        if examples.count < 20 { examples.append(result) }
                    }
                }
                done += results.count
                progress(done, ids.count)
                start()
            }
        }
        examples.sort { $0.decision < $1.decision }
        return Summary(
            program: program, replayed: done, identical: identical, different: done - identical,
            byClause: byClause, examples: examples, retired: retired.sorted())
    }

    /// Replays decisions of one program on `connection`: reads their revisions, kept checks and
    /// data versions, decides, compares.
    static func replay(
        _ stored: [HistoryStore.StoredDecision], program: String, inputs: ReplayInputs,
        on connection: Connection
    ) async throws -> [Result] {
        let contents = try await HistoryStore.contents(
            program: program, revisions: stored.map { ($0.applicantID, $0.revision) },
            on: connection)
        let wanted = stored.filter { $0.documentsVersion != 0 }.map {
            ($0.applicantID, $0.revision, $0.documentsVersion)
        }
        let checks = try await HistoryStore.documentChecks(program: program, wanted: wanted, on: connection)
        let makers = try await inputs.makers(for: Set(stored.compactMap(\.versions)), on: connection)
        return stored.map { decision in
            let key = HistoryStore.key(decision.applicantID, decision.revision)
            let retired = RuleSetPin.retired.contains(decision.record.ruleSet ?? "")
            func result(_ comparison: DecisionComparison) -> Result {
                Result(
                    applicantID: decision.applicantID, program: program, decision: decision.id,
                    ruleSet: decision.record.ruleSet ?? "", comparison: comparison, retired: retired)
            }
            func unreplayable(_ clause: String, _ why: String) -> Result {
                result(DecisionComparison(differences: [.init(clause: clause, text: why)]))
            }
            guard let versions = decision.versions, let maker = makers[versions] else {
                return unreplayable(
                    "inputs",
                    "decided before the program data versions were recorded (migration 010): cannot be made again")
            }
            guard let content = contents[key] else {
                return unreplayable("inputs", "the application revision \(decision.revision) is not kept")
            }
            let documents: [DocumentCheck]
            if decision.documentsVersion == 0 {
                documents = []
            } else if let text = checks[
                HistoryStore.checksKey(decision.applicantID, decision.revision, decision.documentsVersion)],
                let parsed = try? DocumentCheck.parse(text)
            {
                documents = parsed
            } else if decision.documentsVersion == nil {
                documents = []
            } else {
                return unreplayable(
                    "documents", "the document checks it read (version \(decision.documentsVersion ?? 0)) are not kept")
            }
            let application: Application
            do { application = try DecisionMaker.application(content) } catch {
                return unreplayable("inputs", "\(error)")
            }
            let duplicates = decision.duplicateHits ?? Self.duplicatesNamed(in: decision.trace)
            let made = maker.decide(application, documents: documents, duplicates: duplicates)
            return result(DecisionComparison(stored: decision.record, trace: decision.trace, with: made))
        }
    }

    /// The applicants a stored trace's `identity.duplicate` names (decisions made before the
    /// duplicates found were recorded beside them).
    static func duplicatesNamed(in trace: String) -> [String] {
        guard let trace = try? JSONDecoder().decode(DecisionTrace.self, from: Data(trace.utf8)),
            let clause = trace.clauses.first(where: { $0.id == "identity.duplicate" }), clause.status == .review
        else { return [] }
        return clause.facts.compactMap { $0.count == 2 ? $0[1] : nil }
    }
}

extension DecisionComparison {
    /// A comparison that could not be made, with why.
    init(differences: [Difference]) { self.differences = differences }
}
