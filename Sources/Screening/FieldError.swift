/// One problem with one field of a submitted record, e.g.
/// `transcripts[0].courses[3].grade: "Z" is not a grade of pattern 2`.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's path in the record (`affiliation.country`), or empty for the whole record.
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}

/// A record that was rejected, with every problem found in it.
public struct RecordRejection: Error, Sendable, CustomStringConvertible {
    /// The applicant id, when it could be read.
    public let applicantID: String?
    public let errors: [FieldError]

    public init(applicantID: String?, errors: [FieldError]) {
        self.applicantID = applicantID
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
