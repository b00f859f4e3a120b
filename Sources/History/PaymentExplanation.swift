import Formats
import Foundation
import Screening
import Store

/// One stipend line as the lifecycle says it stands: what `payments explain` asks of the
/// lifecycle, through one adapter (`PaymentsExplain.standing` in the CLI), so that the chain
/// behind it — events, decision, clauses, sentences — does not depend on how the lifecycle
/// computes it.
public struct PaymentStanding: Sendable, Equatable {
    /// `paid`, `held`, `due`, `scheduled`, `voided`, `suspended`, `overpaid` or `returned`
    /// (interface §3).
    public let status: String
    public let amountYen: Int
    /// Why, as the lifecycle words it (a hold's reasons, a termination), or nil.
    public let reason: String?
    /// The run that paid it.
    public let run: PaymentRunFacts?

    public init(status: String, amountYen: Int, reason: String?, run: PaymentRunFacts?) {
        self.status = status
        self.amountYen = amountYen
        self.reason = reason
        self.run = run
    }
}

/// A payment run as `payments explain` names it.
public struct PaymentRunFacts: Sendable, Equatable {
    public let id: Int64
    public let month: String
    public let ranAt: Date?
    public let bankFile: String?

    public init(id: Int64, month: String, ranAt: Date?, bankFile: String?) {
        self.id = id
        self.month = month
        self.ranAt = ranAt
        self.bankFile = bankFile
    }
}

/// The chain behind one stipend line (interface §7, `bursar payments explain`): the line, the
/// events that made the month owed, the decision that admitted the scholarship, and the clauses
/// that held with the guideline sentence each implements.
public struct PaymentExplanation: Sendable {
    public struct Event: Sendable {
        public let eventID: String?
        public let type: String
        public let date: String
    }

    public struct HeldClause: Sendable {
        public let id: String
        public let explanation: String
        public let condition: Bool
        /// The guideline's sentence in its own language(s).
        public let sentence: ClauseSentences.Sentence
    }

    public let program: String
    public let applicantID: String
    public let month: String
    public let standing: PaymentStanding
    public let events: [Event]
    public let decision: HistoryStore.StoredDecision?
    public let audit: (id: Int64, at: Date?)?
    public let clauses: [HeldClause]
    /// The partner (English and Japanese names) the decision's (2)(b) matched, when it did.
    public let partner: (english: String, japanese: String)?

    /// The explanation in `language`, for a person.
    public func text(_ language: Language) -> String {
        func t(_ key: Message, _ arguments: String...) -> String { MessageCatalogue.format(key, language, arguments) }
        var lines = [
            t(.title, month, applicantID, program), t(.lineStatus, t(Self.statusKey(standing.status))),
            t(.amount, String(standing.amountYen)),
        ]
        let why = standing.reason ?? ""
        switch standing.status {
        case "paid":
            if let run = standing.run {
                lines.append(
                    t(.paidByRun, String(run.id), run.month, run.ranAt.map(Self.iso) ?? "?", run.bankFile ?? "-"))
            }
        case "held": lines.append(t(.heldBecause, why))
        case "due": lines.append(t(.dueBecause, why))
        case "voided": lines.append(t(.voidedBecause, why))
        case "suspended": lines.append(t(.suspendedBecause, why))
        case "overpaid": lines.append(t(.overpaidBecause, standing.run.map { String($0.id) } ?? "?", why))
        case "returned": lines.append(t(.returnedBecause, why))
        default: lines.append(t(.scheduledBecause))
        }
        lines.append(t(.eventsHeading))
        for event in events {
            lines.append(
                t(
                    .eventLine, event.date, event.type, event.eventID.map { " [\($0)]" } ?? "",
                    t(Self.eventKey(event.type))))
        }
        lines.append(t(.decisionHeading))
        if let d = decision {
            lines.append(
                t(
                    .decisionLine, String(d.id), d.record.outcome.rawValue, String(d.revision), d.record.ruleSet ?? "?",
                    d.decidedAt.map(Self.iso) ?? "?"))
            if let v = d.versions {
                lines.append(
                    t(
                        .decisionVersions, String(v.definition), String(v.partners), String(v.exclusions),
                        String(v.duplicates)))
            }
            if let audit {
                lines.append(t(.decisionAudit, String(audit.id), audit.at.map(Self.iso) ?? "?"))
            } else {
                lines.append(t(.decisionNoAudit))
            }
            if RuleSetPin.retired.contains(d.record.ruleSet ?? "") {
                lines.append(t(.ruleSetRetired, d.record.ruleSet ?? ""))
            }
        } else {
            lines.append(t(.noAdmittingDecision))
        }
        lines.append(t(.clausesHeading))
        for clause in clauses {
            lines.append(
                t(
                    clause.condition ? .clauseCondition : .clauseHeld, clause.id,
                    t(ClauseSentences.summaryKey(clause.id))))
            if language == .ja, let japanese = clause.sentence.japanese {
                lines.append(t(.guidelineSentence, japanese))
            } else {
                lines.append(t(.guidelineSentence, clause.sentence.english))
                if language == .ja { lines.append(t(.guidelineEnglishOnly)) }
            }
            if clause.id == "eligibility.2", let partner {
                lines.append(t(.partnerListTitle, ClauseSentences.partnerListTitle(language)))
                lines.append(
                    t(
                        .partnerMatched,
                        language == .ja && !partner.japanese.isEmpty
                            ? "\(partner.japanese)（\(partner.english)）"
                            : partner.english))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The explanation as JSON, with the words in `language`.
    public func json(_ language: Language) -> String {
        var payment = [
            ("month", JSONWriter.string(month)), ("amount_yen", String(standing.amountYen)),
            ("status", JSONWriter.string(standing.status)), ("reason", JSONWriter.optionalString(standing.reason)),
        ]
        if let run = standing.run {
            payment.append(
                (
                    "run",
                    JSONWriter.object([
                        ("id", String(run.id)), ("month", JSONWriter.string(run.month)),
                        ("ran_at", JSONWriter.optionalString(run.ranAt.map(Self.iso))),
                        ("bank_file", JSONWriter.optionalString(run.bankFile)),
                    ])
                ))
        }
        var decisionJSON = "null"
        if let d = decision {
            let v = d.versions
            decisionJSON = JSONWriter.object([
                ("id", String(d.id)), ("outcome", JSONWriter.string(d.record.outcome.rawValue)),
                ("revision", String(d.revision)),
                ("rule_set", JSONWriter.optionalString(d.record.ruleSet)),
                ("decided_at", JSONWriter.optionalString(d.decidedAt.map(Self.iso))),
                ("audit_id", audit.map { String($0.id) } ?? "null"),
                (
                    "data_versions",
                    v.map {
                        JSONWriter.object([
                            ("definition", String($0.definition)), ("partners", String($0.partners)),
                            ("exclusions", String($0.exclusions)), ("duplicates", String($0.duplicates)),
                        ])
                    } ?? "null"
                ),
            ])
        }
        return JSONWriter.object([
            ("program", JSONWriter.string(program)), ("applicant_id", JSONWriter.string(applicantID)),
            ("lang", JSONWriter.string(language.rawValue)), ("payment", JSONWriter.object(payment)),
            (
                "events",
                "["
                    + events.map {
                        JSONWriter.object([
                            ("event_id", JSONWriter.optionalString($0.eventID)), ("type", JSONWriter.string($0.type)),
                            ("date", JSONWriter.string($0.date)),
                        ])
                    }.joined(separator: ",") + "]"
            ),
            ("decision", decisionJSON),
            (
                "clauses",
                "["
                    + clauses.map { clause in
                        let sentence =
                            language == .ja
                            ? clause.sentence.japanese ?? clause.sentence.english : clause.sentence.english
                        return JSONWriter.object([
                            ("id", JSONWriter.string(clause.id)), ("condition", clause.condition ? "true" : "false"),
                            (
                                "summary",
                                JSONWriter.string(
                                    MessageCatalogue.text(ClauseSentences.summaryKey(clause.id), language))
                            ),
                            ("guideline", JSONWriter.string(sentence)),
                            (
                                "guideline_language",
                                JSONWriter.string(language == .ja && clause.sentence.japanese != nil ? "ja" : "en")
                            ),
                        ])
                    }.joined(separator: ",") + "]"
            ),
            ("text", JSONWriter.string(text(language))),
        ])
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    static func statusKey(_ status: String) -> Message {
        switch status {
        case "paid": .statusPaid
        case "held": .statusHeld
        case "due": .statusDue
        case "voided": .statusVoided
        case "suspended": .statusSuspended
        case "overpaid": .statusOverpaid
        case "returned": .statusReturned
        default: .statusScheduled
        }
    }

    static func eventKey(_ type: String) -> Message {
        switch type {
        case "admitted": .eventAdmitted
        case "arrived": .eventArrived
        case "leave_started": .eventLeaveStarted
        case "leave_ended": .eventLeaveEnded
        case "termination": .eventTermination
        case "degree_awarded": .eventDegree
        case "academic_report": .eventAcademic
        default: .eventOther
        }
    }
}
