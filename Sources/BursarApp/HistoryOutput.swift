import Formats
import History
import Screening

/// The printed forms of replay and what-if (interface §7).
enum HistoryOutput {
    static func json(_ result: Replay.Result) -> String {
        JSONWriter.object([
            ("applicant_id", JSONWriter.string(result.applicantID)), ("decision", String(result.decision)),
            ("rule_set", JSONWriter.string(result.ruleSet)),
            ("identical", result.comparison.identical ? "true" : "false"),
            ("differences", JSONWriter.strings(result.comparison.differences.map(\.text))),
            ("clauses", JSONWriter.strings(result.comparison.clauses)), ("retired", result.retired ? "true" : "false"),
        ])
    }

    static func text(_ result: Replay.Result) -> String {
        var lines = [
            "\(result.applicantID): decision \(result.decision) (\(result.ruleSet)) "
                + (result.comparison.identical ? "replays identical" : "replays DIFFERENTLY")
        ]
        if result.retired {
            lines.append(
                "  rule set \(result.ruleSet) is retired: this build no longer runs it; compared with the current rules"
            )
        }
        lines += result.comparison.differences.map { "  \($0.text)" }
        return lines.joined(separator: "\n")
    }

    static func json(_ summary: Replay.Summary) -> String {
        JSONWriter.object([
            ("program", JSONWriter.string(summary.program)), ("replayed", String(summary.replayed)),
            ("identical", String(summary.identical)), ("different", String(summary.different)),
            (
                "by_clause",
                JSONWriter.object(summary.byClause.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) })
            ),
            ("retired", JSONWriter.strings(summary.retired)),
            ("examples", "[" + summary.examples.map(json).joined(separator: ",") + "]"),
        ])
    }

    static func text(_ summary: Replay.Summary) -> String {
        var lines = [
            "\(summary.program): \(Wording.count(summary.replayed, "decision")) replayed, "
                + "\(summary.identical) identical, "
                + "\(summary.different) different"
        ]
        for (clause, count) in summary.byClause.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(clause): \(count)")
        }
        for retired in summary.retired {
            lines.append("  rule set \(retired) is retired: compared with the current rules")
        }
        for example in summary.examples { lines.append(text(example)) }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: WhatIf.Report) -> String {
        func flip(_ f: WhatIf.Flip) -> String {
            var members = [
                ("applicant_id", JSONWriter.string(f.applicantID)), ("from", JSONWriter.string(f.from.rawValue)),
                ("to", JSONWriter.string(f.to.rawValue)), ("clauses", JSONWriter.strings(f.clauses)),
                ("admitted", f.admitted ? "true" : "false"),
            ]
            if let pay = f.pay { members.append(("pay", JSONWriter.string(pay.rawValue))) }
            return JSONWriter.object(members)
        }
        return JSONWriter.object([
            ("program", JSONWriter.string(report.program)), ("applications", String(report.applications)),
            ("changed", String(report.changed)), ("flips", "[" + report.flips.map(flip).joined(separator: ",") + "]"),
            ("clause_changes", "[" + report.clauseChanges.map(flip).joined(separator: ",") + "]"),
        ])
    }

    static func text(_ report: WhatIf.Report) -> String {
        var lines = [
            "\(report.program): \(Wording.count(report.applications, "application")) decided under the changed data; "
                + "\(report.changed) would change outcome, \(report.clauseChanges.count) only clauses (nothing stored)"
        ]
        for f in report.flips + report.clauseChanges {
            let pay =
                f.pay.map {
                    $0 == .held
                        ? " — admitted: payments would be HELD (eligibility.changed)"
                        : " — admitted: pay not held; review list would show it"
                } ?? ""
            lines.append(
                "  \(f.applicantID): \(f.from.rawValue) → \(f.to.rawValue) [\(f.clauses.joined(separator: ", "))]\(pay)"
            )
        }
        return lines.joined(separator: "\n")
    }
}
