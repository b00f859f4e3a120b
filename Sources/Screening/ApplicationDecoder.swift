import Foundation

/// Reads and validates one application object (interface §1).
///
/// A record is accepted whole or rejected with every problem found, each with its field path.
/// Unknown members are ignored so that a newer batch format does not break an older server.
public enum ApplicationDecoder {
    /// Longest name part accepted ("≤ 200 chars").
    public static let maxNameLength = 200
    /// Longest free text accepted elsewhere (institution, city, course title).
    public static let maxTextLength = 300

    /// Decodes `value`; `defaultProgram` is the batch's program when the record has none.
    public static func decode(_ value: JSONValue, defaultProgram: String? = nil) -> Result<Application, RecordRejection>
    {
        var reader = FieldReader()
        guard case .object = value else {
            return .failure(
                RecordRejection(
                    applicantID: nil,
                    errors: [FieldError(field: "", message: "a record must be a JSON object, not \(value.typeName)")]))
        }
        let id = reader.applicantID(value["applicant_id"], "applicant_id")
        var program = reader.optionalString(value["program"], "program", maxLength: 64)
        if program == nil { program = defaultProgram }
        if let batch = defaultProgram, let own = program, own != batch {
            reader.fail("program", "differs from the batch's program \"\(batch)\"")
        }
        if program == nil { reader.fail("program", "is required (in the record or once for the batch)") }
        let family = reader.name(value["family_name"], "family_name")
        let given = reader.name(value["given_name"], "given_name")
        if let family, let given, family.isEmpty, given.isEmpty {
            reader.fail("given_name", "family_name and given_name cannot both be empty")
        }
        let birth = reader.date(value["birth_date"], "birth_date")
        let citizenships = reader.countries(value["citizenships"], "citizenships")
        let status: JapanStatus? = reader.enumeration(value["japan_status"], "japan_status")
        let course: Course? = reader.enumeration(value["course"], "course")
        let applied = reader.date(value["application_date"], "application_date")
        if let birth, let applied {
            // The dates are not repeated: a birth date is personal data (say which field and why).
            if birth >= applied {
                reader.fail("birth_date", "is not before application_date")
            } else if birth.age(on: applied) > 120 {
                reader.fail("birth_date", "gives an age over 120 on application_date")
            }
        }
        let qualification = reader.qualification(value["qualification"], "qualification")
        let affiliation = reader.affiliation(value["affiliation"], "affiliation")
        let transcripts = reader.transcripts(value["transcripts"], "transcripts")
        let language = reader.languageEvidence(value["language"], "language")
        let declarations = reader.declarations(value["declarations"], "declarations")
        let documents = reader.documents(value["documents"], "documents")

        guard reader.errors.isEmpty, let id, let program, let family, let given, let birth, let citizenships,
            let status, let course, let applied, let qualification, let affiliation, let transcripts,
            let language, let declarations, let documents
        else {
            return .failure(RecordRejection(applicantID: id, errors: reader.errors))
        }
        return .success(
            Application(
                applicantID: id, program: program, familyName: family, givenName: given, birthDate: birth,
                citizenships: citizenships, japanStatus: status, course: course, applicationDate: applied,
                qualification: qualification, affiliation: affiliation, transcripts: transcripts,
                language: language, declarations: declarations, documents: documents))
    }

    /// Best-effort applicant id of a record that may be invalid, for rejection reports.
    public static func readableApplicantID(_ value: JSONValue) -> String? {
        guard case .string(let id)? = value["applicant_id"], FieldReader.isValidApplicantID(id) else { return nil }
        return id
    }
}
