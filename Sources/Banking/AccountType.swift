/// The kind of a Japanese bank account (預金種目), as the account file names it and as the
/// Zengin file codes it.
public enum AccountType: String, Sendable, Codable, CaseIterable {
    /// 普通預金.
    case ordinary
    /// 当座預金.
    case current
    /// 貯蓄預金.
    case savings

    /// The Zengin code: `1` ordinary, `2` current, `4` savings.
    public var zenginCode: UInt8 {
        switch self {
        case .ordinary: return UInt8(ascii: "1")
        case .current: return UInt8(ascii: "2")
        case .savings: return UInt8(ascii: "4")
        }
    }

    /// The type of a Zengin code byte.
    public init?(zenginCode: UInt8) {
        guard let type = AccountType.allCases.first(where: { $0.zenginCode == zenginCode }) else { return nil }
        self = type
    }
}

/// Checks of the codes and numbers of an account, shared by the account file and the remitter.
enum Digits {
    /// Whether `text` is `count` ASCII digits exactly.
    static func exactly(_ count: Int, _ text: String) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Whether `text` is 1 to `count` ASCII digits.
    static func upTo(_ count: Int, _ text: String) -> Bool {
        (1...count).contains(text.utf8.count) && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
