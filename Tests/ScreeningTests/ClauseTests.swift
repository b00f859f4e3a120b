import XCTest

@testable import Screening

/// One test per clause, each with a passing and a failing case, quoting the sentence it pins.
final class ClauseTests: XCTestCase {
    private func status(_ app: Application, _ id: String) -> ClauseStatus {
        Fixtures.result(Fixtures.decide(app), id).status
    }

    /// "The person should also have reached 22 years of age." (master's) and "reached 24 years
    /// of age at the time of enrollment" (doctoral); enrollment is April 1, 2026.
    func testClause1Age() {
        XCTAssertEqual(
            status(Fixtures.base { $0.birthDate = CalendarDate(year: 2004, month: 4, day: 1)! }, "eligibility.1"),
            .pass, "22 on the day")
        XCTAssertEqual(
            status(Fixtures.base { $0.birthDate = CalendarDate(year: 2004, month: 4, day: 2)! }, "eligibility.1"),
            .fail, "22 the day after")
        let doctoral = Fixtures.base {
            $0.course = .doctoral
            $0.qualification.degree = .master
            $0.birthDate = CalendarDate(year: 2002, month: 4, day: 1)!
        }
        XCTAssertEqual(status(doctoral, "eligibility.1"), .pass)
        var younger = doctoral
        younger.birthDate = CalendarDate(year: 2002, month: 4, day: 2)!
        XCTAssertEqual(status(younger, "eligibility.1"), .fail)
    }

    /// "For the doctoral course, a person who has or is expected to acquire a master's degree, has
    /// or is expected to acquire a degree equivalent to a professional degree, or who has been
    /// recognized by the graduate school … through individual screening".
    func testClause1DoctoralDegree() {
        let bachelorOnly = Fixtures.base {
            $0.course = .doctoral
            $0.qualification.degree = .bachelor
        }
        XCTAssertEqual(status(bachelorOnly, "eligibility.1"), .fail)
        var screened = bachelorOnly
        screened.qualification.individualScreening = true
        XCTAssertEqual(status(screened, "eligibility.1"), .pass)
        XCTAssertEqual(
            status(
                Fixtures.base {
                    $0.course = .doctoral
                    $0.qualification.degree = .professional
                }, "eligibility.1"), .pass)
    }

    /// "For the master's course, a person who has completed the 16-year course of school education,
    /// has or is expected to acquire a bachelor's degree, or who has been recognized … through
    /// individual screening of admission qualifications."
    func testClause1MasterDegree() {
        let none = Fixtures.base {
            $0.qualification.degree = .none
            $0.qualification.sixteenYearsEducation = false
        }
        XCTAssertEqual(status(none, "eligibility.1"), .fail)
        var sixteen = none
        sixteen.qualification.sixteenYearsEducation = true
        XCTAssertEqual(status(sixteen, "eligibility.1"), .pass)
    }

    /// "(a) Those who are enrolled in a research institution … whose main campus … is located in
    /// Asian countries/regions (*note1), Sister and Friendship Cities/States of TMG (*note2) …"
    func testClause2aLocations() {
        let d = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = Affiliation(
                    institution: "Some Company", kind: .company, country: "VN", city: "Da Nang", region: nil,
                    status: .enrolled, completedOn: nil, level: .staff)
            })
        XCTAssertEqual(d.categories, ["2a"])
        let moscowIdaho = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = Affiliation(
                    institution: "University of Idaho", kind: .university, country: "US", city: "Moscow",
                    region: "Idaho", status: .enrolled, completedOn: nil, level: .bachelor)
            })
        XCTAssertEqual(moscowIdaho.categories, [], "Moscow of note 2 is Moscow, Russia")
        XCTAssertTrue(moscowIdaho.failed.contains("eligibility.2"))
        let nsw = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = Affiliation(
                    institution: "University of Sydney", kind: .university, country: "AU", city: "Sydney",
                    region: "New South Wales", status: .enrolled, completedOn: nil, level: .bachelor)
            })
        XCTAssertEqual(nsw.categories, ["2a"], "a state of note 2 counts through the region")
        let japan = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = Affiliation(
                    institution: "Kyoto Company", kind: .company, country: "JP", city: "Kyoto", region: nil,
                    status: .enrolled, completedOn: nil, level: .staff)
            })
        XCTAssertEqual(japan.categories, [], "Japan is not in note 1")
    }

    /// "… or those who have graduated from or completed an educational course at the Institution
    /// less than one year before applying for the program."
    func testClause2GraduationWindow() {
        func graduated(_ on: CalendarDate) -> Decision {
            Fixtures.decide(
                Fixtures.base {
                    $0.affiliation.status = .graduated
                    $0.affiliation.completedOn = on
                })
        }
        XCTAssertEqual(
            graduated(CalendarDate(year: 2024, month: 10, day: 16)!).categories, ["2a", "2b"],
            "one day less than a year")
        XCTAssertEqual(
            graduated(CalendarDate(year: 2024, month: 10, day: 15)!).categories, [],
            "exactly one year is not less than one year")
    }

    /// "(b) Those who are enrolled in any of the universities listed in the International Partner
    /// Universities/Institutions shown in Attachment 5".
    func testClause2bPartner() {
        let partner = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = Affiliation(
                    institution: "Universität Bayreuth", kind: .university, country: "DE", city: "Bayreuth",
                    region: nil, status: .enrolled, completedOn: nil, level: .bachelor)
            })
        XCTAssertEqual(partner.categories, ["2b"])
        let extensionParent = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = Affiliation(
                    institution: "University of California, Riverside", kind: .university, country: "US",
                    city: "Riverside", region: "California", status: .enrolled, completedOn: nil, level: .bachelor)
            })
        XCTAssertEqual(extensionParent.outcome, .ineligible, "the extension school is the partner, not its parent")
        let uncertain = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = Affiliation(
                    institution: "Chiang Mai Rajabhat University", kind: .university, country: "TH", city: "Chiang Mai",
                    region: nil, status: .enrolled, completedOn: nil, level: .bachelor)
            })
        XCTAssertEqual(uncertain.categories, ["2a"], "an uncertain match does not count, and (a) holds anyway")
    }

    /// "(c) Those who are enrolled in a master's course … at a university in Japan with a visa
    /// status of residence of "Student" at the time of application."
    func testClause2c() {
        let inJapan = Affiliation(
            institution: "Waseda University", kind: .university, country: "JP", city: "Tokyo", region: nil,
            status: .enrolled, completedOn: nil, level: .master)
        XCTAssertEqual(
            Fixtures.decide(
                Fixtures.base {
                    $0.affiliation = inJapan
                    $0.japanStatus = .student
                }
            ).categories, ["2c"])
        let noVisa = Fixtures.decide(
            Fixtures.base {
                $0.affiliation = inJapan
                $0.japanStatus = .longTermResident
            })
        XCTAssertEqual(noVisa.categories, [])
        XCTAssertEqual(noVisa.failed, ["eligibility.2"])
    }

    /// "A 2.30 Grade Point Average (GPA) or above, calculated by the following conversion table
    /// and formula, is required".
    func testClause3Threshold() {
        func gpa(_ grades: [String]) -> Application {
            Fixtures.base { app in
                app.transcripts[0].courses = grades.map {
                    CourseRecord(title: "c", grade: ConversionTable.read($0, pattern: .two)!, credits: Rational(1))
                }
            }
        }
        // A A A B B B B B B B: (9 + 14) / 10 = 2.30 exactly.
        let exact = gpa(["A", "A", "A", "B", "B", "B", "B", "B", "B", "B"])
        XCTAssertEqual(Fixtures.decide(exact).gpa, "2.30")
        XCTAssertEqual(status(exact, "eligibility.3"), .pass)
        // A A B B B B B B B C: (6 + 14 + 1) / 10 = 2.10.
        let low = gpa(["A", "A", "B", "B", "B", "B", "B", "B", "B", "C"])
        XCTAssertEqual(status(low, "eligibility.3"), .fail)
        let allPass = gpa(["Pass", "Approved"])
        XCTAssertEqual(status(allPass, "eligibility.3"), .review, "nothing on the scale: a person judges")
        XCTAssertNil(Fixtures.decide(allPass).gpa)
    }

    /// "(a) Those who have passed the Japanese Language Proficiency Test (JLPT) level N2 or higher"
    /// and "(d) … equivalent to level B2 of the … CEFR or higher in English".
    func testClause4Language() {
        XCTAssertEqual(status(Fixtures.base { $0.language = [.jlpt(level: 2)] }, "eligibility.4"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.language = [.jlpt(level: 3)] }, "eligibility.4"), .fail)
        XCTAssertEqual(status(Fixtures.base { $0.language = [.ielts(score: Rational(11, 2))] }, "eligibility.4"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.language = [.ielts(score: Rational(5))] }, "eligibility.4"), .fail)
        XCTAssertEqual(status(Fixtures.base { $0.language = [.toeflIBT(score: 72)] }, "eligibility.4"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.language = [.toeflIBT(score: 71)] }, "eligibility.4"), .fail)
        XCTAssertEqual(status(Fixtures.base { $0.language = [.toeic(score: 785)] }, "eligibility.4"), .pass)
        XCTAssertEqual(
            status(Fixtures.base { $0.language = [.cefr(language: "english", level: "B1")] }, "eligibility.4"), .fail)
        XCTAssertEqual(
            status(Fixtures.base { $0.language = [.instructionMedium(language: "english")] }, "eligibility.4"), .pass)
        XCTAssertEqual(
            status(Fixtures.base { $0.language = [.schoolJudgment(language: "japanese")] }, "eligibility.4"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.language = [] }, "eligibility.4"), .fail)
    }

    /// "(5) Applicants must be willing to learn basic Japanese language …"
    func testClause5() {
        XCTAssertEqual(status(Fixtures.base(), "eligibility.5"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.declarations.willLearnJapanese = false }, "eligibility.5"), .fail)
    }

    /// "(6) Applicants should be willing to seek employment in one of the following: (a) to (c)."
    func testClause6() {
        XCTAssertEqual(
            status(Fixtures.base { $0.declarations.employmentIntent = .publicOrganization }, "eligibility.6"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.declarations.employmentIntent = .none }, "eligibility.6"), .fail)
    }

    /// "(7) Applicants must be willing to cooperate in forming a network of Japan-friendly cohorts …"
    func testClause7() {
        XCTAssertEqual(status(Fixtures.base(), "eligibility.7"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.declarations.willJoinNetwork = false }, "eligibility.7"), .fail)
    }

    /// "(8) Each applicant must obtain a new "Student" visa … However, this does not apply to cases
    /// … who already have "Student" status in Japan".
    func testClause8IsAConditionUnlessAlreadyStudent() {
        XCTAssertEqual(Fixtures.decide(Fixtures.base()).conditions, ["eligibility.8"])
        XCTAssertEqual(Fixtures.decide(Fixtures.base { $0.japanStatus = .student }).conditions, [])
        XCTAssertEqual(
            Fixtures.decide(Fixtures.base { $0.japanStatus = .longTermResident }).conditions, ["eligibility.8"])
    }

    /// "(9) An applicant must be mentally and physically sound to pursue study and research".
    func testClause9() {
        XCTAssertEqual(status(Fixtures.base(), "eligibility.9"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.declarations.healthOK = false }, "eligibility.9"), .fail)
    }

    /// "(a) Those with Japanese citizenship, special permanent resident status, or who are allowed
    /// to reside in Japan permanently".
    func testClause10a() {
        XCTAssertEqual(status(Fixtures.base { $0.citizenships = ["TH", "JP"] }, "eligibility.10a"), .fail)
        XCTAssertEqual(status(Fixtures.base { $0.japanStatus = .permanentResident }, "eligibility.10a"), .fail)
        XCTAssertEqual(status(Fixtures.base { $0.japanStatus = .specialPermanentResident }, "eligibility.10a"), .fail)
        XCTAssertEqual(status(Fixtures.base { $0.japanStatus = .longTermResident }, "eligibility.10a"), .pass)
    }

    /// "(b) Those who are military personnel on active duty or army civilian employees".
    func testClause10b() {
        XCTAssertEqual(status(Fixtures.base(), "eligibility.10b"), .pass)
        XCTAssertEqual(status(Fixtures.base { $0.declarations.activeMilitary = true }, "eligibility.10b"), .fail)
    }

    /// "(c) Those who will receive a scholarship, research fund, and the like from other
    /// institutions at the time of enrollment".
    func testClause10c() {
        XCTAssertEqual(status(Fixtures.base(), "eligibility.10c"), .pass)
        XCTAssertEqual(
            status(Fixtures.base { $0.declarations.supportAtEnrollment = [.researchFund] }, "eligibility.10c"), .fail)
    }

    /// "(d) Those who have previously been enrolled in a master's program … as a Japanese
    /// Government Scholarship international student (if you apply for a master's program)".
    func testClause10d() {
        XCTAssertEqual(status(Fixtures.base { $0.declarations.priorMEXT = [.master] }, "eligibility.10d"), .fail)
        XCTAssertEqual(status(Fixtures.base { $0.declarations.priorMEXT = [.doctoral] }, "eligibility.10d"), .pass)
        let registry = ExclusionHit(list: "mext-alumni", reference: "R-1", clause: "eligibility.10d", strength: .same)
        XCTAssertEqual(
            Fixtures.result(Fixtures.decide(Fixtures.base(), exclusions: [registry]), "eligibility.10d").status, .fail,
            "the registry fails the clause whatever the application declares")
        let close = ExclusionHit(list: "mext-alumni", reference: "R-1", clause: "eligibility.10d", strength: .close)
        let review = Fixtures.decide(Fixtures.base(), exclusions: [close])
        XCTAssertEqual(review.review, ["eligibility.10d"])
        XCTAssertEqual(review.outcome, .needsReview)
    }

    /// "(e) Those who have previously been enrolled in a doctoral program … (if you apply for a
    /// doctoral program)".
    func testClause10e() {
        let doctoral = Fixtures.base {
            $0.course = .doctoral
            $0.qualification.degree = .master
            $0.declarations.priorMEXT = [.doctoral]
        }
        XCTAssertEqual(status(doctoral, "eligibility.10e"), .fail)
        XCTAssertEqual(
            status(Fixtures.base { $0.declarations.priorMEXT = [.doctoral] }, "eligibility.10e"), .notApplicable)
    }

    /// "All applicants must submit the housing referral form whether they wish for the service or not."
    func testDocumentsHousingFormAndLanguageCertificate() {
        let app = Fixtures.base { $0.documents.removeAll { $0.type == .housingReferralForm } }
        let d = Fixtures.decide(app)
        XCTAssertEqual(d.outcome, .incomplete)
        XCTAssertEqual(d.failed, ["documents.housing_referral_form"])
        let noCertificateNeeded = Fixtures.base {
            $0.language = [.instructionMedium(language: "english")]
            $0.documents.removeAll { $0.type == .languageCertificate }
        }
        XCTAssertEqual(
            Fixtures.decide(noCertificateNeeded).outcome, .eligible, "a certificate is owed only for a test score")
        let bad = Fixtures.base()
        let checks = bad.documents.map {
            DocumentCheck(
                type: $0.type, file: $0.file, problem: $0.type == .passport ? "does not match its sha256" : nil)
        }
        XCTAssertEqual(Fixtures.screener.decide(bad, documents: checks).failed, ["documents.passport"])
    }

    /// All clauses are evaluated; a decision lists every failed clause.
    func testEveryFailedClauseIsListed() {
        let d = Fixtures.decide(
            Fixtures.base {
                $0.birthDate = CalendarDate(year: 2006, month: 1, day: 1)!
                $0.declarations.healthOK = false
                $0.declarations.activeMilitary = true
            })
        XCTAssertEqual(d.failed, ["eligibility.1", "eligibility.9", "eligibility.10b"])
        XCTAssertEqual(d.outcome, .ineligible)
    }

    func testDuplicateGoesToReview() {
        let d = Fixtures.decide(Fixtures.base(), duplicates: [DuplicateHit(otherApplicantID: "X-2")])
        XCTAssertEqual(d.review, ["identity.duplicate"])
        XCTAssertEqual(d.outcome, .needsReview)
    }
}
