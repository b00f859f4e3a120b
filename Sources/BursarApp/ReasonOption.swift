import ArgumentParser

/// `--reason TEXT` of an officer action, kept in its audit row (`bursar audit`).
struct ReasonOption: ParsableArguments {
    @Option(help: "Why, in one line (kept in the audit trail, `bursar audit`).") var reason: String?

    /// The reason as recorded: trimmed; nil when none was given.
    var text: String? { reason?.trimmingCharacters(in: .whitespaces) }

    func validate() throws {
        guard let reason else { return }
        try Self.check(reason)
    }

    /// The longest reason kept.
    static let maximumLength = 2000

    /// A reason is one line of text that says something: a line break or a terminal escape in
    /// it would let one row of `bursar audit` pass for several.
    static func check(_ reason: String) throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason must say why (or leave --reason out)")
        }
        if reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ValidationError("--reason must be one line of text, without line breaks, tabs or control characters")
        }
        if reason.count > maximumLength {
            throw ValidationError("--reason is \(reason.count) characters long; keep it to \(maximumLength)")
        }
    }
}
