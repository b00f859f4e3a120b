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
        /// True for a look-alike mark (interface §1 v1.2); nil in traces stored before it.
        public let lookAlike: Bool?
    }

    /// One course of study under both readings of look-alike marks (interface §1 v1.2).
    public struct Study: Sendable, Codable, Equatable {
        /// The transcripts' `course` key; nil for the transcripts without one.
        public let key: String?
        public let transcripts: [Int]
        /// Exact GPAs as fractions, or nil when nothing counts under that reading.
        public let gpaExcluded: String?
        public let gpaCountedAtZero: String?
    }

    public let clauses: [Clause]
    public let courses: [CourseLine]
    /// The exact GPA as a fraction (`17/6`), or nil.
    public let gpaExact: String?
    /// Every course of study; nil in traces stored before interface v1.2.
    public let studies: [Study]?

    public init(_ decision: Decision) {
        clauses = decision.clauses.map {
            Clause(
                id: $0.id, status: $0.status, explanation: $0.explanation,
                facts: $0.facts.map { [$0.name, $0.value] }, condition: $0.condition)
        }
        courses = decision.gpaTrace.lines.map {
            let weight = $0.weight.denominator == 1 ? "\($0.weight.numerator)" : $0.weight.decimalString(places: 3)
            return CourseLine(
                transcript: $0.transcript, title: $0.title, grade: $0.grade, gradePoint: $0.gradePoint,
                weight: weight, lookAlike: $0.lookAlike)
        }
        gpaExact = decision.gpaTrace.exact?.description
        studies = decision.gpaTrace.studies.map {
            Study(
                key: $0.key, transcripts: $0.transcripts, gpaExcluded: $0.excluded?.description,
                gpaCountedAtZero: $0.countedAtZero?.description)
        }
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
                        m.raw("lookAlike", c.lookAlike == true ? "true" : "false")
                    }
                }
                out.raw(0x5D)
            }
            members.string("gpaExact", gpaExact)
            members.value("studies") { out in
                out.raw(0x5B)
                for (i, study) in (studies ?? []).enumerated() {
                    if i > 0 { out.raw(0x2C) }
                    out.object { m in
                        m.string("key", study.key)
                        m.raw("transcripts", "[" + study.transcripts.map(String.init).joined(separator: ",") + "]")
                        m.string("gpaExcluded", study.gpaExcluded)
                        m.string("gpaCountedAtZero", study.gpaCountedAtZero)
                    }
                }
                out.raw(0x5D)
            }
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

    public init(
        applicantID: String, revision: Int, outcome: Outcome, gpa: String?, categories: [String],
        failed: [String], review: [String], conditions: [String], ruleSet: String?
    ) {
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
        [
            applicantID, String(revision), outcome.rawValue, gpa ?? "", categories.joined(separator: ";"),
            failed.joined(separator: ";"), review.joined(separator: ";"), conditions.joined(separator: ";"),
            ruleSet ?? "",
        ]
        .map(CSV.field).joined(separator: ",")
    }
}

/// Renders a decision's trace for a program officer (`bursar show`).
public enum DecisionReport {
    /// The report. `applicant` is the name as on the passport, when known; `explain` rewrites
    /// each clause's explanation for a person (the CLI names countries there).
    public static func render(
        record: DecisionRecord, trace: DecisionTrace, decidedAt: String, applicant: String? = nil,
        explain: (String) -> String = { $0 }
    ) -> String {
        var lines: [String] = []
        let who = "Applicant \(record.applicantID)\(applicant.map { " (\($0))" } ?? "")"
        lines.append("\(who) — revision \(record.revision), rule set \(record.ruleSet ?? "?"), decided \(decidedAt)")
        lines.append("Outcome: \(record.outcome.rawValue.uppercased())")
        lines.append("GPA: \(record.gpa ?? "none")\(trace.gpaExact.map { " (exact \($0))" } ?? "")")
        if !record.categories.isEmpty {
            lines.append("Categories of (2): \(record.categories.joined(separator: ", "))")
        }
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
                let outside =
                    course.lookAlike == true
                    ? "excluded, or 0 × \(course.weight) (a look-alike mark)"
                    : "excluded (outside the scale)"
                let points = course.gradePoint.map { "\($0) × \(course.weight)" } ?? outside
                lines.append("  [\(course.transcript)] \(course.title): \(course.grade) → \(points)")
            }
        }
        let studies = trace.studies ?? []
        if studies.count > 1 || studies.contains(where: { $0.gpaExcluded != $0.gpaCountedAtZero }) {
            lines.append("")
            lines.append("GPA by course of study (look-alike marks excluded / counted at 0 points):")
            for study in studies {
                let readings = [study.gpaExcluded, study.gpaCountedAtZero].map { exact in
                    exact.flatMap { Rational(fraction: $0) }.map(GPAResult.shown) ?? "none"
                }
                let name = study.key.map { "course \"\($0)\"" } ?? "no course key"
                let transcripts = study.transcripts.map { "[\($0)]" }.joined(separator: " ")
                lines.append("  \(name) \(transcripts): \(readings.joined(separator: " / "))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
