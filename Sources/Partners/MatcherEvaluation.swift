import Screening

/// Precision and recall of the matcher on a labelled evaluation set.
public struct MatcherEvaluation: Sendable {
    /// One labelled pair: a name as an applicant might write it, and the partner it is (or
    /// nil for a hard negative: an institution that is not on the list).
    public struct Case: Sendable {
        public let name: String
        public let country: String
        public let expected: String?
        public let kind: String
    }

    public struct Failure: Sendable {
        public let testCase: Case
        public let got: PartnerMatch
    }

    public let positives: Int
    public let positivesMatched: Int
    public let positivesUncertain: Int
    public let positivesNone: Int
    public let negatives: Int
    public let falseMatches: Int
    public let negativesUncertain: Int
    /// Matched to the wrong partner.
    public let wrongPartner: Int
    public let failures: [Failure]
    /// Partners of the list whose every case of kind ``applicantForm`` matched them: the list's
    /// coverage under the forms applicants write (issue 26).
    public let covered: Int
    /// Partners of the list.
    public let partnerCount: Int

    /// The kind of case that writes a partner as its applicants write it: one or more per partner,
    /// long bracketed, renamed and abbreviated forms included.
    public static let applicantForm = "applicant_form"

    /// Of all "matched" answers, the share that named the right partner.
    public var precision: Double {
        let matched = positivesMatched + falseMatches + wrongPartner
        return matched == 0 ? 1 : Double(positivesMatched) / Double(matched)
    }

    /// Share of positives answered "matched" with the right partner.
    public var recall: Double { positives == 0 ? 1 : Double(positivesMatched) / Double(positives) }

    /// The recall the matcher must reach (issue 13's acceptance: precision 100%, recall ≥ 98%).
    public static let recallTarget = 0.98

    /// True when the targets hold: precision 100%, recall ≥ 98%, no positive answered "none".
    public var meetsTargets: Bool { precision == 1 && recall >= Self.recallTarget && positivesNone == 0 }

    /// Reads the evaluation CSV (`name,country,expected_partner,kind`).
    public static func cases(csv text: String) -> [Case] {
        CSV.rows(text).dropFirst().compactMap { row in
            let f = row.fields
            guard f.count >= 3 else { return nil }
            return Case(name: f[0], country: f[1], expected: f[2].isEmpty ? nil : f[2], kind: f.count > 3 ? f[3] : "")
        }
    }

    public init(matcher: PartnerMatcher, cases: [Case]) {
        var pos = 0
        var posMatched = 0
        var posUncertain = 0
        var posNone = 0
        var neg = 0
        var falseMatch = 0
        var negUncertain = 0
        var wrong = 0
        var failures: [Failure] = []
        for c in cases {
            let got = matcher.match(institution: c.name, country: c.country)
            if let expected = c.expected {
                pos += 1
                switch got.result {
                case .matched where got.partner == expected: posMatched += 1
                case .matched:
                    wrong += 1
                    failures.append(Failure(testCase: c, got: got))
                case .uncertain:
                    posUncertain += 1
                    failures.append(Failure(testCase: c, got: got))
                case .none:
                    posNone += 1
                    failures.append(Failure(testCase: c, got: got))
                }
            } else {
                neg += 1
                switch got.result {
                case .matched:
                    falseMatch += 1
                    failures.append(Failure(testCase: c, got: got))
                case .uncertain: negUncertain += 1
                case .none: break
                }
            }
        }
        let formCases = cases.filter { $0.kind == Self.applicantForm }
        let written = Set(formCases.compactMap(\.expected))
        let missed = Set(failures.filter { $0.testCase.kind == Self.applicantForm }.compactMap(\.testCase.expected))
        covered = matcher.partners.filter { written.contains($0.name) && !missed.contains($0.name) }.count
        partnerCount = matcher.partners.count
        positives = pos
        positivesMatched = posMatched
        positivesUncertain = posUncertain
        positivesNone = posNone
        negatives = neg
        falseMatches = falseMatch
        negativesUncertain = negUncertain
        wrongPartner = wrong
        self.failures = failures
    }

    /// A report for people.
    public var report: String {
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        var lines = [
            "positives: \(positives) — matched \(positivesMatched), uncertain \(positivesUncertain), "
                + "none \(positivesNone), wrong partner \(wrongPartner)",
            "hard negatives: \(negatives) — false matched \(falseMatches), uncertain \(negativesUncertain), "
                + "none \(negatives - falseMatches - negativesUncertain)",
            "precision \(pct(precision)), recall \(pct(recall)) — "
                + "targets (100%, ≥\(Int(Self.recallTarget * 100))%, no positive \"none\"): "
                + (meetsTargets ? "met" : "NOT met"),
        ]
        lines.append(
            "partners matched under the forms applicants write (kind \(Self.applicantForm)): "
                + "\(covered)/\(partnerCount)")
        for failure in failures {
            let side = failure.testCase.expected == nil ? "NEG" : "POS"
            let got = "\(failure.got.result.rawValue) \(failure.got.partner ?? ""): \(failure.got.reason)"
            lines.append("  \(side) \"\(failure.testCase.name)\" (\(failure.testCase.country)) → \(got)")
        }
        return lines.joined(separator: "\n")
    }
}
