import ArgumentParser

/// `--reason TEXT` of an officer action, kept in its audit row (`bursar audit`).
struct ReasonOption: ParsableArguments {
    @Option(help: "Why (kept in the audit trail, `bursar audit`).") var reason: String?
}
