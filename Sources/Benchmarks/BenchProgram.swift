import Partners
import Store

/// A benchmark's own program: a copy of tgp-2026's definition and partner list under another id,
/// stored through the stores so that both are recorded versions of the program's data.
enum BenchProgram {
    /// Stores the copy as `id` (replacing an earlier one) and returns its partners. `before`
    /// runs between reading tgp-2026 and storing the copy (the pipeline empties its program there).
    @discardableResult
    static func copy(as id: String, database: Database, before: () async throws -> Void = {}) async throws
        -> [Partner]
    {
        var program = try await ProgramStore(database: database).program("tgp-2026")
        program.id = id
        program.ruleSet = "\(id)@1"
        let json = String(decoding: try program.encoded(), as: UTF8.self)
        let partners = try await PartnerStore(database: database).partners(program: "tgp-2026")
        try await before()
        _ = try await ProgramStore(database: database).store(program, json: json)
        try await PartnerStore(database: database).replace(program: id, partners: partners, source: "copy of tgp-2026")
        return partners
    }
}
