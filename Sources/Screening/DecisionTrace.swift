/// The stored form of a decision's full trace, from which `bursar show` explains it.
public struct DecisionTrace: Sendable, Codable, Equatable {
    public struct Clause: Sendable, Codable, Equatable {
        public let id: String
        public let status: ClauseStatus
        public let explanation: String
        public let facts: [[String]]
        public let condition: Bool
    }

    public struct CourseLine: Sendable, Codable, Equatable {
        public let transcript: Int
        public let title: String
        public let grade: String
        public let gradePoint: Int?
        public let weight: String
    }

    public let clauses: [Clause]
    public let courses: [CourseLine]
    /// The exact GPA as a fraction (`17/6`), or nil.
    public let gpaExact: String?

    public init(_ decision: Decision) {
        clauses = decision.clauses.map {
            Clause(id: $0.id, status: $0.status, explanation: $0.explanation, facts: $0.facts.map { [$0.name, $0.value] }, condition: $0.condition)
        }
        courses = decision.gpaTrace.lines.map {
            CourseLine(transcript: $0.transcript, title: $0.title, grade: $0.grade, gradePoint: $0.gradePoint,
                       weight: $0.weight.denominator == 1 ? "\($0.weight.numerator)" : $0.weight.decimalString(places: 3))
        }
        gpaExact = decision.gpaTrace.exact?.description
    }

    /// The trace as compact JSON (written by hand into one buffer: it is on every screening's
    /// hot path).
    public var json: String {
        var out = JSONOutput(capacity: 8192)
        out.object { members in
            members.value("clauses") { out in
                out.raw(0x5B)
                for (i, c) in clauses.enumerated() {
                    if i > 0 { out.raw(0x2C) }
                    out.object { m in
                        m.string("id", c.id)
                        m.string("status", c.status.rawValue)
                        m.string("explanation", c.explanation)
                        m.value("facts") { out in
                            out.raw(0x5B)
                            for (j, fact) in c.facts.enumerated() {
                                if j > 0 { out.raw(0x2C) }
                                out.strings(fact)
                            }
                            out.raw(0x5D)
                        }
                        m.raw("condition", c.condition ? "true" : "false")
                    }
                }
                out.raw(0x5D)
            }
            members.value("courses") { out in
                out.raw(0x5B)
                for (i, c) in courses.enumerated() {
                    if i > 0 { out.raw(0x2C) }
                    out.object { m in
                        m.raw("transcript", String(c.transcript))
                        m.string("title", c.title)
                        m.string("grade", c.grade)
                        m.raw("gradePoint", c.gradePoint.map(String.init) ?? "null")
                        m.string("weight", c.weight)
                    }
                }
                out.raw(0x5D)
            }
            members.string("gpaExact", gpaExact)
        }
        return out.text
    }
}

/// The summary of a decision as exported (interface §2).
public struct DecisionRecord: Sendable, Equatable {
    public let applicantID: String
    public let revision: Int
    public let outcome: Outcome
    public let gpa: String?
    public let categories: [String]
    public let failed: [String]
    public let review: [String]
    public let conditions: [String]
    public let ruleSet: String?

    public init(applicantID: String, revision: Int, outcome: Outcome, gpa: String?, categories: [String],
                failed: [String], review: [String], conditions: [String], ruleSet: String?) {
        self.applicantID = applicantID
        self.revision = revision
        self.outcome = outcome
        self.gpa = gpa
        self.categories = categories
        self.failed = failed
        self.review = review
        self.conditions = conditions
        self.ruleSet = ruleSet
    }

    /// One NDJSON line.
    public var json: String {
        JSONWriter.object([
            ("applicant_id", JSONWriter.string(applicantID)), ("revision", String(revision)),
            ("outcome", JSONWriter.string(outcome.rawValue)), ("gpa", JSONWriter.optionalString(gpa)),
            ("categories", JSONWriter.strings(categories)), ("failed", JSONWriter.strings(failed)),
            ("review", JSONWriter.strings(review)), ("conditions", JSONWriter.strings(conditions)),
            ("rule_set", JSONWriter.optionalString(ruleSet)),
        ])
    }

    public static let csvHeader = "applicant_id,revision,outcome,gpa,categories,failed,review,conditions,rule_set"

    /// One CSV row; list fields are joined with `;`.
    public var csv: String {
        [applicantID, String(revision), outcome.rawValue, gpa ?? "", categories.joined(separator: ";"),
         failed.joined(separator: ";"), review.joined(separator: ";"), conditions.joined(separator: ";"), ruleSet ?? ""]
            .map(CSV.field).joined(separator: ",")
    }
}

/// Renders a decision's trace for a program officer (`bursar show`).
public enum DecisionReport {
    /// The report. `applicant` is the name as on the passport, when known; `explain` rewrites
    /// each clause's explanation for a person (the CLI names countries there).
    public static func render(record: DecisionRecord, trace: DecisionTrace, decidedAt: String, applicant: String? = nil,
                              explain: (String) -> String = { $0 }) -> String {
        var lines: [String] = []
        lines.append("Applicant \(record.applicantID)\(applicant.map { " (\($0))" } ?? "") — revision \(record.revision), rule set \(record.ruleSet ?? "?"), decided \(decidedAt)")
        lines.append("Outcome: \(record.outcome.rawValue.uppercased())")
        lines.append("GPA: \(record.gpa ?? "none")\(trace.gpaExact.map { " (exact \($0))" } ?? "")")
        if !record.categories.isEmpty { lines.append("Categories of (2): \(record.categories.joined(separator: ", "))") }
        if !record.failed.isEmpty { lines.append("Failed: \(record.failed.joined(separator: ", "))") }
        if !record.review.isEmpty { lines.append("For review: \(record.review.joined(separator: ", "))") }
        if !record.conditions.isEmpty { lines.append("Conditions: \(record.conditions.joined(separator: ", "))") }
        lines.append("")
        lines.append("Clauses:")
        for clause in trace.clauses {
            // Every mark six wide, so that REVIEW rows line up with the others.
            let mark: String
            switch clause.status {
            case .pass: mark = clause.condition ? "PASS* " : "PASS  "
            case .fail: mark = "FAIL  "
            case .review: mark = "REVIEW"
            case .notApplicable: mark = "n/a   "
            }
            lines.append("  \(mark) \(clause.id): \(explain(clause.explanation))")
        }
        if !trace.courses.isEmpty {
            lines.append("")
            lines.append("GPA trace (grade → points × weight):")
            for course in trace.courses {
                let points = course.gradePoint.map { "\($0) × \(course.weight)" } ?? "excluded (outside the scale)"
                lines.append("  [\(course.transcript)] \(course.title): \(course.grade) → \(points)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
