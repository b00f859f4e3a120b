import ArgumentParser
import Screening

/// `--reason TEXT` of an officer action, kept in its audit row (`bursar audit`).
struct ReasonOption: ParsableArguments {
    @Option(help: "Why, in one line (kept in the audit trail, `bursar audit`).") var reason: String?

    /// The reason as recorded: trimmed; nil when none was given.
    var text: String? { reason?.trimmingCharacters(in: .whitespaces) }

    func validate() throws {
        guard let reason else { return }
        try Self.check(reason)
    }

    /// A reason is one line of text that says something (``OfficerReason``, which the console
    /// shares): a line break or a terminal escape in it would let one row of `bursar audit` pass
    /// for several.
    static func check(_ reason: String) throws {
        switch OfficerReason.problem(in: reason) {
        case nil:
            return
        case .blank:
            throw ValidationError("--reason must say why (or leave --reason out)")
        case .notOneLine:
            throw ValidationError("--reason must be one line of text, without line breaks, tabs or control characters")
        case .tooLong(let length):
            throw ValidationError("--reason is \(length) characters long; keep it to \(OfficerReason.maximumLength)")
        }
    }
}
