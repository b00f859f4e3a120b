import Foundation
import Screening
import Store

/// How a decision made again differs from the stored one: outcome, GPA, categories and every
/// clause's status, reason and facts (the trace), each difference naming its clause.
public struct DecisionComparison: Sendable, Equatable {
    /// One difference, with the clause it belongs to (`outcome` when no clause differs but the
    /// outcome does, e.g. a withdrawal).
    public struct Difference: Sendable, Equatable {
        public let clause: String
        public let text: String
    }

    public let differences: [Difference]
    public var identical: Bool { differences.isEmpty }
    /// The clauses that differ, each once, in trace order.
    public var clauses: [String] {
        var seen = Set<String>()
        return differences.map(\.clause).filter { seen.insert($0).inserted }
    }

    /// Compares the stored decision (its record and trace text) with `decision`.
    public init(stored record: DecisionRecord, trace storedTrace: String, with decision: Decision) {
        let newTrace = DecisionTrace(decision)
        var differences: [Difference] = []
        if newTrace.json != storedTrace {
            differences += Self.clauseDifferences(stored: storedTrace, new: newTrace)
        }
        func field(_ name: String, _ old: String, _ new: String, clause: String) {
            if old != new { differences.append(Difference(clause: clause, text: "\(name): \(old) → \(new)")) }
        }
        func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
        field("gpa", record.gpa ?? "none", decision.gpa ?? "none", clause: "eligibility.3")
        field("categories", list(record.categories), list(decision.categories), clause: "eligibility.2")
        let named = Set(differences.map(\.clause))
        let changed = Set(record.failed).symmetricDifference(decision.failed)
            .union(Set(record.review).symmetricDifference(decision.review))
            .union(Set(record.conditions).symmetricDifference(decision.conditions))
        for clause in changed.sorted() where !named.contains(clause) {
            differences.append(
                Difference(clause: clause, text: "\(clause): listed differently among failed, review or conditions"))
        }
        if record.outcome != decision.outcome {
            let clause = differences.first?.clause ?? "outcome"
            differences.append(
                Difference(clause: clause, text: "outcome: \(record.outcome.rawValue) → \(decision.outcome.rawValue)"))
        }
        if record.ruleSet != decision.ruleSet {
            differences.append(
                Difference(clause: "rule_set", text: "rule set: \(record.ruleSet ?? "none") → \(decision.ruleSet)"))
        }
        self.differences = differences
    }

    private static func clauseDifferences(stored text: String, new: DecisionTrace) -> [Difference] {
        guard let stored = try? JSONDecoder().decode(DecisionTrace.self, from: Data(text.utf8)) else {
            return [Difference(clause: "trace", text: "the stored trace cannot be read")]
        }
        var differences: [Difference] = []
        let old = Dictionary(stored.clauses.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Dictionary(new.clauses.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for clause in new.clauses {
            guard let before = old[clause.id] else {
                differences.append(
                    Difference(
                        clause: clause.id,
                        text: "\(clause.id): not in the stored decision, now \(clause.status.rawValue)"))
                continue
            }
            if before.status != clause.status {
                differences.append(
                    Difference(
                        clause: clause.id,
                        text: "\(clause.id): \(before.status.rawValue) → \(clause.status.rawValue)"))
            }
            if before.explanation != clause.explanation {
                differences.append(
                    Difference(
                        clause: clause.id,
                        text: "\(clause.id): reason \"\(before.explanation)\" → \"\(clause.explanation)\""))
            }
            if before.facts != clause.facts || before.condition != clause.condition {
                differences.append(Difference(clause: clause.id, text: "\(clause.id): facts differ"))
            }
        }
        for clause in stored.clauses where now[clause.id] == nil {
            differences.append(
                Difference(clause: clause.id, text: "\(clause.id): in the stored decision, not made now"))
        }
        if stored.courses != new.courses || stored.gpaExact != new.gpaExact {
            differences.append(
                Difference(clause: "eligibility.3", text: "eligibility.3: GPA trace differs (courses or exact GPA)"))
        }
        if differences.isEmpty, stored != new {
            differences.append(Difference(clause: "trace", text: "the trace differs in order"))
        }
        return differences
    }
}
