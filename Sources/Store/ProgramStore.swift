import Foundation
import Partners
import Postgres
import Screening

/// Program definitions (`db/programs/*.json`) and their partner lists in the database.
public struct ProgramStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    /// Loads every program file, and for a program without a partner list, `db/partners/<id>.csv`.
    func syncFromFiles() async throws -> [String] {
        let folder = database.home.appendingPathComponent("db/programs")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var done: [String] = []
        for file in files.sorted() where file.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) else { continue }
            let program: Program
            do { program = try Program.decode(data) } catch {
                throw BursarError.setup("db/programs/\(file) is not a valid program definition: \(error)")
            }
            let json = String(decoding: try program.encoded(), as: UTF8.self)
            let changed = try await database.pool.withConnection { connection in
                try await connection.query("""
                    INSERT INTO programs (id, rule_set, definition) VALUES ($1, $2, $3::jsonb)
                    ON CONFLICT (id) DO UPDATE SET rule_set = excluded.rule_set, definition = excluded.definition, updated_at = now()
                    WHERE programs.definition <> excluded.definition
                    """, program.id, program.ruleSet, JSONText(json)).affectedRows
            }
            if changed > 0 { done.append("program \(program.id) (\(program.ruleSet))") }
            let list = database.home.appendingPathComponent("db/partners/\(program.id).csv")
            if FileManager.default.fileExists(atPath: list.path), try await PartnerStore(database: database).listInfo(program: program.id) == nil {
                let text = try String(contentsOf: list, encoding: .utf8)
                let partners = try PartnerListCSV.parse(text)
                try await PartnerStore(database: database).replace(program: program.id, partners: partners, source: "db/partners/\(program.id).csv")
                done.append("partner list of \(program.id) (\(partners.count) institutions)")
            }
        }
        return done
    }

    /// The program's definition.
    public func program(_ id: String) async throws -> Program {
        let row = try await database.pool.withConnection { connection in
            try await connection.query("SELECT definition::text AS d FROM programs WHERE id = $1", id).first
        }
        guard let row else { throw BursarError.notFound("no program \"\(id)\"; known programs: \(try await programIDs().joined(separator: ", "))") }
        return try Program.decode(Data(try row.string("d").utf8))
    }

    public func programIDs() async throws -> [String] {
        try await database.pool.withConnection { connection in
            try await connection.query("SELECT id FROM programs ORDER BY id").map { try $0.string("id") }
        }
    }
}
