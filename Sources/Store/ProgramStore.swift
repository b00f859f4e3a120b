import Foundation
import JobQueue
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
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) else {
                continue
            }
            let program: Program
            do { program = try Program.decode(data) } catch {
                throw BursarError.setup("db/programs/\(file) is not a valid program definition: \(error)")
            }
            let json = String(decoding: try program.encoded(), as: UTF8.self)
            // A shipped definition that was ever in force is not loaded again: an officer's
            // `programs import` since then stands until the file itself changes.
            if try await !wasInForce(program.id, json: json), let change = try await store(program, json: json) {
                done.append(change)
            }
            let list = database.home.appendingPathComponent("db/partners/\(program.id).csv")
            if FileManager.default.fileExists(atPath: list.path),
                try await PartnerStore(database: database).listInfo(program: program.id) == nil
            {
                let text = try String(contentsOf: list, encoding: .utf8)
                let partners = try PartnerListCSV.parse(text)
                try await PartnerStore(database: database).replace(
                    program: program.id, partners: partners, source: "db/partners/\(program.id).csv")
                done.append("partner list of \(program.id) (\(partners.count) institutions)")
            }
        }
        return done
    }

    /// Stores a program definition when it is new or differs from the stored one. A changed
    /// definition is a new version of the program's data, and every application of the program is
    /// decided again under it (a definition is read by every clause) — queued in the same
    /// transaction. Returns what was done, or nil when the definition is unchanged.
    public func store(_ program: Program, json: String, change: String = "program.definition") async throws -> String? {
        try await database.pool.withTransaction { connection in
            try await ProgramData.lockForChange(program: program.id, on: connection)
            let rows = try await connection.query(
                """
                INSERT INTO programs (id, rule_set, definition) VALUES ($1, $2, $3::jsonb)
                ON CONFLICT (id) DO UPDATE SET rule_set = excluded.rule_set, definition = excluded.definition,
                    updated_at = now()
                WHERE programs.definition <> excluded.definition
                RETURNING (xmax = 0) AS created
                """, program.id, program.ruleSet, JSONText(json))
            guard let row = rows.first else { return nil }
            let version = try await ProgramData.recordChange(
                .definition, program: program.id, change: change, on: connection)
            if try row.bool("created") { return "program \(program.id) (\(program.ruleSet))" }
            let applications = try await connection.query(
                "SELECT applicant_id, latest_revision FROM applicants WHERE program = $1 ORDER BY applicant_id",
                program.id
            ).map { (try $0.string("applicant_id"), try $0.int("latest_revision")) }
            try await Rescreening.enqueue(
                program: program.id, applicants: applications, on: connection, queue: database.queue)
            try await AuditLog.record(
                on: connection, action: change, program: program.id,
                detail: ["version": "\(version)", "rule_set": program.ruleSet, "rescreened": "\(applications.count)"])
            return
                "program \(program.id) (\(program.ruleSet), definition version \(version); \(applications.count) "
                + "applications queued to be decided again)"
        }
    }

    /// Whether `json` (a definition as stored) is one of the program's kept definition versions.
    private func wasInForce(_ id: String, json: String) async throws -> Bool {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT 1 FROM program_data_versions WHERE program = $1 AND kind = 'definition' AND snapshot::jsonb
                = $2::jsonb LIMIT 1
                """, id, JSONText(json)
            ).first != nil
        }
    }

    /// One program as `programs list` shows it.
    public struct Summary: Sendable {
        public let id: String
        public let name: String
        public let ruleSet: String
        public let version: Int
    }

    /// Every program with its rule set and definition version in force.
    public func summaries() async throws -> [Summary] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT p.id, p.definition ->> 'name' AS name, p.rule_set,
                       (SELECT coalesce(max(v.version), 0) FROM program_data_versions v
                        WHERE v.program = p.id AND v.kind = 'definition') AS version
                FROM programs p ORDER BY p.id
                """
            ).map {
                Summary(
                    id: try $0.string("id"), name: try $0.optionalString("name") ?? "",
                    ruleSet: try $0.string("rule_set"),
                    version: try $0.int("version"))
            }
        }
    }

    /// The program's definition.
    public func program(_ id: String) async throws -> Program {
        do {
            return try await database.pool.withConnection { connection in try await Self.program(id, on: connection) }
        } catch BursarError.notFound(_) {
            throw BursarError.notFound(
                "no program \"\(id)\"; known programs: \(try await programIDs().joined(separator: ", "))")
        }
    }

    /// The program's definition, on `connection`.
    public static func program(_ id: String, on connection: Connection) async throws -> Program {
        guard let row = try await connection.query("SELECT definition::text AS d FROM programs WHERE id = $1", id).first
        else {
            throw BursarError.notFound("no program \"\(id)\"")
        }
        return try Program.decode(Data(try row.string("d").utf8))
    }

    public func programIDs() async throws -> [String] {
        try await database.pool.withConnection { connection in
            try await connection.query("SELECT id FROM programs ORDER BY id").map { try $0.string("id") }
        }
    }
}
