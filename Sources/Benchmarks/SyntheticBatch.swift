import Foundation
import Screening

/// Generated applications for benchmarks: varied names, birth dates, countries, institutions
/// and grades, all valid records of interface §1.
public enum SyntheticBatch {
    static let families = ["Jaidee", "Kim", "Nguyen", "Müller", "Smith", "Wang", "Santos", "Sato", "Ivanova", "Okafor"]
    static let givens = ["Anong", "Min-jun", "Linh", "Jonas", "Emily", "Wei", "Ana", "Hana", "Olga", "Chidi"]
    static let affiliations: [(String, String, String)] = [
        ("Chulalongkorn University", "TH", "Bangkok"), ("University of Bayreuth", "DE", "Bayreuth"),
        ("Ohio State University", "US", "Columbus"), ("Chung-Ang University", "KR", "Seoul"),
        ("Technische Universität Berlin", "DE", "Berlin"), ("Univ. of Vienna", "AT", "Vienna"),
    ]
    public static let documentTypes = [
        "application_form", "transcript", "degree_certificate", "passport", "research_plan",
        "housing_referral_form", "language_certificate",
    ]

    /// `count` records as JSON text; documents point at `docs/<type>.pdf` with `hashes[type]`.
    public static func records(count: Int, program: String = "tgp-2026", hashes: [String: String] = [:]) -> [String] {
        records(0..<count, program: program, hashes: hashes)
    }

    /// The records numbered `range`.
    public static func records(_ range: Range<Int>, program: String, hashes: [String: String]) -> [String] {
        range.map { i in
            let (institution, country, city) = affiliations[i % affiliations.count]
            let grades = ["A", "B", "A", "C", "B", "A"].map { ($0, i % 7 == 0 ? "C" : $0) }
            let courses = grades.enumerated().map { n, g in
                "{\"title\": \"Course \(n)\", \"grade\": \"\(g.1)\", \"credits\": \(1 + (i + n) % 4)}"
            }
            let docs = documentTypes.map { t in
                let hash = hashes[t] ?? String(repeating: "0", count: 64)
                return "{\"type\": \"\(t)\", \"file\": \"docs/\(t).pdf\", \"sha256\": \"\(hash)\"}"
            }
            // Birth dates spread over every day of 15 years, as real applicants' are: the
            // person-level lookups go through the birth date.
            let (year, month, day) = civil(daysSince1986: (i &* 7919) % 5479)
            return """
                {"applicant_id": "BENCH-\(String(format: "%07d", i))", "program": "\(program)", \
                "family_name": "\(families[i % 10])", "given_name": "\(givens[(i / 10) % 10]) \(i)", \
                "birth_date": "\(String(format: "%04d-%02d-%02d", year, month, day))", "citizenships": ["\(country)"], \
                "japan_status": "none", "course": "\(i % 3 == 0 ? "doctoral" : "master")", \
                "application_date": "2025-10-15", "qualification": {"degree": "\(i % 3 == 0 ? "master" : "bachelor")", \
                "degree_status": "awarded", "sixteen_years_education": true, "individual_screening": false}, \
                "affiliation": {"institution": "\(institution)", "kind": "university", "country": "\(country)", \
                "city": "\(city)", "status": "enrolled", "level": "bachelor"}, \
                "transcripts": [{"institution": "\(institution)", "pattern": 2, "unit": "credits", \
                "courses": [\(courses.joined(separator: ", "))]}], "language": [{"kind": "ielts", "score": 6.5}], \
                "declarations": {"will_learn_japanese": true, "will_join_network": true, "health_ok": true, \
                "active_military": false, "employment_intent": "tokyo_company", "support_at_enrollment": [], \
                "prior_mext": []}, "documents": [\(docs.joined(separator: ", "))]}
                """
        }
    }

    /// The calendar date `days` days after 1986-01-01.
    static func civil(daysSince1986 days: Int) -> (Int, Int, Int) {
        var year = 1986
        var remaining = days
        while remaining >= (CalendarDate.isLeap(year) ? 366 : 365) {
            remaining -= CalendarDate.isLeap(year) ? 366 : 365
            year += 1
        }
        var month = 1
        while remaining >= CalendarDate.daysIn(month: month, year: year) {
            remaining -= CalendarDate.daysIn(month: month, year: year)
            month += 1
        }
        return (year, month, remaining + 1)
    }
}
