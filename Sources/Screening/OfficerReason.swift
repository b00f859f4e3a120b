/// The reason an officer gives for an action, as the audit trail keeps it: the one rule the CLI's
/// `--reason` and the console's reason field share.
public enum OfficerReason {
    /// The longest reason kept.
    public static let maximumLength = 2000

    /// Why a reason cannot be kept.
    public enum Problem: Error, Equatable, Sendable {
        /// Nothing but spaces.
        case blank
        /// A line break, tab or other control character: one row of `bursar audit` could pass
        /// for several, or a terminal escape could rewrite what an auditor sees.
        case notOneLine
        /// Longer than ``OfficerReason/maximumLength`` characters (its length).
        case tooLong(Int)
    }

    /// The problem with `reason`, or nil when it can be kept.
    public static func problem(in reason: String) -> Problem? {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { return .blank }
        if reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return .notOneLine }
        if reason.count > maximumLength { return .tooLong(reason.count) }
        return nil
    }
}
