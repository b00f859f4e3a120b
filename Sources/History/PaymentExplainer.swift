import Foundation
import Partners
import Postgres
import Screening
import Store

/// Builds the chain behind one stipend line (``PaymentExplanation``) from what is stored: the
/// scholarship's events, the decision in force at its admission with its audit row and data
/// versions, the clauses that held. The line itself comes from the caller (the lifecycle's view).
public struct PaymentExplainer: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    public func explain(program: String, applicantID: String, month: String, standing: PaymentStanding) async throws
        -> PaymentExplanation
    {
        try await database.pool.withConnection { connection in
            let events = try await LifecycleStore.events(program: program, applicantID: applicantID, on: connection)
                .filter { $0.status == "applied" && ($0.date.map { String($0.prefix(7)) <= month } ?? false) }
                .map { PaymentExplanation.Event(eventID: $0.eventID, type: $0.type, date: $0.date ?? "") }
                .sorted { $0.date < $1.date }
            let decision = try await HistoryStore.admittingDecision(
                program: program, applicantID: applicantID, on: connection)
            var audit: (id: Int64, at: Date?)?
            var clauses: [PaymentExplanation.HeldClause] = []
            var partner: (english: String, japanese: String)?
            if let decision {
                audit = try await HistoryStore.auditRow(
                    decisionID: decision.id, program: program, applicantID: applicantID, on: connection)
                let trace = try JSONDecoder().decode(DecisionTrace.self, from: Data(decision.trace.utf8))
                clauses = trace.clauses.filter { $0.status == .pass }.map {
                    PaymentExplanation.HeldClause(
                        id: $0.id, explanation: $0.explanation, condition: $0.condition,
                        sentence: ClauseSentences.sentence($0.id))
                }
                partner = try await Self.partner(
                    of: trace, program: program, version: decision.versions?.partners, on: connection)
            }
            return PaymentExplanation(
                program: program, applicantID: applicantID, month: month, standing: standing, events: events,
                decision: decision, audit: audit, clauses: clauses, partner: partner)
        }
    }

    /// The partner (2)(b) matched, with its Japanese name from the partner list version read.
    private static func partner(of trace: DecisionTrace, program: String, version: Int?, on connection: Connection)
        async throws
        -> (english: String, japanese: String)?
    {
        guard
            let fact = trace.clauses.first(where: { $0.id == "eligibility.2" })?.facts.first(where: {
                $0.first == "partner match"
            }),
            fact.count == 2, fact[1].hasPrefix("matched: ")
        else { return nil }
        let english = String(fact[1].dropFirst("matched: ".count))
        guard let version, version > 0,
            let snapshot = try await ProgramData.snapshot(.partners, program: program, version: version, on: connection)
        else {
            return (english, "")
        }
        let japanese = try ProgramDataSnapshot.partners(snapshot, version: version).partners.first {
            $0.name == english
        }?.japaneseName
        return (english, japanese ?? "")
    }
}
