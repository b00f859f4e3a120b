/// One scholarship application, as submitted in a batch (interface §1).
public struct Application: Sendable, Equatable {
    public var applicantID: String
    public var program: String
    public var familyName: String
    public var givenName: String
    public var birthDate: CalendarDate
    /// ISO 3166-1 alpha-2 codes of every citizenship held.
    public var citizenships: [String]
    public var japanStatus: JapanStatus
    public var course: Course
    public var applicationDate: CalendarDate
    public var qualification: Qualification
    public var affiliation: Affiliation
    public var transcripts: [Transcript]
    public var language: [LanguageEvidence]
    public var declarations: Declarations
    public var documents: [DocumentReference]
}

/// Status of residence in Japan now.
public enum JapanStatus: String, Sendable, CaseIterable {
    case none, student
    case permanentResident = "permanent_resident"
    case specialPermanentResident = "special_permanent_resident"
    case longTermResident = "long_term_resident"
    case other
}

/// The TMU course applied for.
public enum Course: String, Sendable, CaseIterable, Codable {
    case master, doctoral
}

public struct Qualification: Sendable, Equatable {
    public enum Degree: String, Sendable, CaseIterable { case bachelor, master, professional, none }
    public enum DegreeStatus: String, Sendable, CaseIterable { case awarded, expected }
    public var degree: Degree
    public var degreeStatus: DegreeStatus
    public var sixteenYearsEducation: Bool
    /// The graduate school recognised equivalent ability through individual screening.
    public var individualScreening: Bool
}

public struct Affiliation: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case university
        case governmentAgency = "government_agency"
        case localGovernmentAgency = "local_government_agency"
        case company
        case researchInstitute = "research_institute"
        case other
    }
    public enum Status: String, Sendable, CaseIterable { case enrolled, graduated }
    public enum Level: String, Sendable, CaseIterable { case bachelor, master, doctoral, staff }
    /// The institution's name as the applicant wrote it.
    public var institution: String
    public var kind: Kind
    public var country: String
    public var city: String
    public var region: String?
    public var status: Status
    public var completedOn: CalendarDate?
    public var level: Level
}

/// The transcript of one institution.
public struct Transcript: Sendable, Equatable {
    public enum Unit: String, Sendable, CaseIterable { case credits, subjects }
    public var institution: String
    public var pattern: GradingPattern
    public var unit: Unit
    public var courses: [CourseRecord]
    /// The course of study this transcript belongs to (interface §1 v1.2): transcripts with the
    /// same key are one course, those without a key form one course together.
    public var course: String? = nil
}

/// One course on a transcript.
public struct CourseRecord: Sendable, Equatable {
    public var title: String
    /// The grade as written, already checked against the transcript's pattern.
    public var grade: Grade
    /// Credits (exact); nil when the transcript counts subjects.
    public var credits: Rational?
}

/// Evidence of language proficiency (clause 4).
public enum LanguageEvidence: Sendable, Equatable {
    case jlpt(level: Int)
    case cefr(language: String, level: String)
    case ielts(score: Rational)
    case toeflIBT(score: Int)
    case toeic(score: Int)
    case instructionMedium(language: String)
    case schoolJudgment(language: String)

    /// True for test scores, which need a `language_certificate` document.
    public var isTestScore: Bool {
        switch self {
        case .jlpt, .cefr, .ielts, .toeflIBT, .toeic: return true
        case .instructionMedium, .schoolJudgment: return false
        }
    }
}

public struct Declarations: Sendable, Equatable {
    public enum EmploymentIntent: String, Sendable, CaseIterable {
        case tokyoCompany = "tokyo_company"
        case universityOrResearch = "university_or_research"
        case publicOrganization = "public_organization"
        case none
    }
    public enum Support: String, Sendable, CaseIterable {
        case scholarship
        case researchFund = "research_fund"
        case other
    }
    public var willLearnJapanese: Bool
    public var willJoinNetwork: Bool
    public var healthOK: Bool
    public var activeMilitary: Bool
    public var employmentIntent: EmploymentIntent
    public var supportAtEnrollment: [Support]
    /// Programs previously enrolled in as a Japanese Government (MEXT) Scholarship student.
    public var priorMEXT: [Course]
}

/// A document of the application, named by a path relative to the batch file.
public struct DocumentReference: Sendable, Equatable {
    public var type: DocumentType
    public var file: String
    public var sha256: String

    public init(type: DocumentType, file: String, sha256: String) {
        self.type = type
        self.file = file
        self.sha256 = sha256
    }
}

public enum DocumentType: String, Sendable, CaseIterable, Codable {
    case applicationForm = "application_form"
    case transcript
    case degreeCertificate = "degree_certificate"
    case languageCertificate = "language_certificate"
    case housingReferralForm = "housing_referral_form"
    case passport
    case researchPlan = "research_plan"
    case recommendationLetter = "recommendation_letter"

    /// The type in words ("housing referral form").
    public var displayName: String { String(rawValue.map { $0 == "_" ? " " : $0 }) }
}
