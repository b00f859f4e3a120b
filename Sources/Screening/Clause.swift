/// The outcome of evaluating one clause for one application.
public enum ClauseStatus: String, Sendable, Codable {
    case pass
    case fail
    /// The machine cannot decide; a person must.
    case review
    case notApplicable = "not_applicable"
}

/// One clause's result, with the facts it used and why, in plain words.
public struct ClauseResult: Sendable, Equatable {
    public let id: String
    public let status: ClauseStatus
    public let explanation: String
    /// The facts the evaluation used, in order (`("age at enrollment", "26")`).
    public let facts: [Fact]
    /// The categories of clause (2) that hold (empty for other clauses).
    public let categories: [String]
    /// True when the clause holds only with a follow-up (clause 8's visa).
    public let condition: Bool

    public struct Fact: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        id: String, status: ClauseStatus, explanation: String, facts: [Fact] = [], categories: [String] = [],
        condition: Bool = false
    ) {
        self.id = id
        self.status = status
        self.explanation = explanation
        self.facts = facts
        self.categories = categories
        self.condition = condition
    }
}

/// Everything a clause may look at.
public struct ScreeningContext: Sendable {
    public let application: Application
    public let program: Program
    public let gpa: GPAResult
    public let partner: PartnerMatch
    public let documents: [DocumentCheck]
    public let exclusions: [ExclusionHit]
    public let duplicates: [DuplicateHit]
    /// Note 1 and note 2, indexed once per program.
    public let locations: LocationRules
}

/// One rule of the guideline as a value: its id, the text it implements, and its evaluation.
public struct Clause: Sendable {
    /// `eligibility.1` … `eligibility.10e`, `documents`, `identity.duplicate`.
    public let id: String
    /// The guideline's sentence(s) this clause implements, quoted.
    public let text: String
    /// Evaluates the clause; some ids (documents) give one result per document type.
    public let evaluate: @Sendable (ScreeningContext) -> [ClauseResult]

    public init(id: String, text: String, evaluate: @escaping @Sendable (ScreeningContext) -> [ClauseResult]) {
        self.id = id
        self.text = text
        self.evaluate = evaluate
    }

    /// A clause giving exactly one result.
    public init(id: String, text: String, single: @escaping @Sendable (ScreeningContext) -> ClauseResult) {
        self.init(id: id, text: text) { [single($0)] }
    }
}

/// The result of checking one document file (done by the pipeline, an input here).
public struct DocumentCheck: Sendable, Equatable {
    public let type: DocumentType
    public let file: String
    /// nil when the document is usable; otherwise why not, in words.
    public let problem: String?

    public init(type: DocumentType, file: String, problem: String?) {
        self.type = type
        self.file = file
        self.problem = problem
    }

    /// Checks as a JSON array (the stored form).
    public static func json(_ checks: [DocumentCheck]) -> String {
        "["
            + checks.map {
                JSONWriter.object([
                    ("type", JSONWriter.string($0.type.rawValue)), ("file", JSONWriter.string($0.file)),
                    ("problem", JSONWriter.optionalString($0.problem)),
                ])
            }.joined(separator: ",") + "]"
    }

    /// Reads the stored form back.
    public static func parse(_ json: String) throws -> [DocumentCheck] {
        guard case .array(let items) = try JSONParser.parse(json) else { return [] }
        return items.compactMap { item in
            guard case .string(let type)? = item["type"], let documentType = DocumentType(rawValue: type),
                case .string(let file)? = item["file"]
            else { return nil }
            if case .string(let problem)? = item["problem"] {
                return DocumentCheck(type: documentType, file: file, problem: problem)
            }
            return DocumentCheck(type: documentType, file: file, problem: nil)
        }
    }
}
