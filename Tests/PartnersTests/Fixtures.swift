import Foundation
import Partners

/// Files of the repository (`db/`) and of `../shared`, found from this source file's path.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(relative), encoding: .utf8)
    }

    static func tgpPartners() throws -> [Partner] { try PartnerListCSV.parse(try text("db/partners/tgp-2026.csv")) }
}
