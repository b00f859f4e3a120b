import Foundation

/// Agreement levels of TMU's partner lists in English (`partners list`): the lists write them
/// in Japanese.
enum AgreementLevel {
    /// 全学 is a university-wide agreement, 部局間 one between faculties or departments; any
    /// other text is shown as the list writes it.
    static func english(_ level: String) -> String {
        switch level.trimmingCharacters(in: .whitespaces) {
        case "全学": return "university-wide"
        case "部局間": return "inter-faculty"
        case "": return "-"
        default: return level
        }
    }
}
