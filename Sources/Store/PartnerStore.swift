import Foundation
import JobQueue
import Partners
import Postgres
import Screening

/// Partner lists and officers' decisions on uncertain matches.
public struct PartnerStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    public struct ListInfo: Sendable {
        public let source: String
        public let partners: Int
        public let importedAt: Date?
    }

    public func listInfo(program: String) async throws -> ListInfo? {
        try await database.pool.withConnection { connection in
            try await connection.query("SELECT source, partners, imported_at FROM partner_lists WHERE program = $1", program).first.map {
                ListInfo(source: try $0.string("source"), partners: try $0.int("partners"), importedAt: try $0.timestamp("imported_at"))
            }
        }
    }

    /// Replaces the program's list atomically: screening sees the old list or the new, never half.
    public func replace(program: String, partners: [Partner], source: String) async throws {
        try await database.pool.withTransaction { connection in
            try await connection.query("DELETE FROM partners WHERE program = $1", program)
            let rows: [[String?]] = partners.enumerated().map { i, p in
                let agreements = "[" + p.agreements.map {
                    JSONWriter.object([("level", JSONWriter.string($0.level)), ("department", JSONWriter.string($0.department)),
                                       ("home_faculty", JSONWriter.string($0.homeFaculty))])
                }.joined(separator: ",") + "]"
                return [program, String(i), p.name, p.japaneseName, p.country, agreements, TextArray(p.aliases).postgresText]
            }
            try await connection.copyIn("COPY partners (program, position, name, japanese_name, country, agreements, aliases) FROM STDIN", rows: rows)
            try await connection.query("""
                INSERT INTO partner_lists (program, source, partners, imported_at) VALUES ($1, $2, $3, now())
                ON CONFLICT (program) DO UPDATE SET source = excluded.source, partners = excluded.partners, imported_at = now()
                """, program, source, partners.count)
            try await AuditLog.record(on: connection, action: "partners.import", program: program, detail: ["partners": "\(partners.count)", "source": source])
        }
    }

    /// The program's partners in list order.
    public func partners(program: String) async throws -> [Partner] {
        try await database.pool.withConnection { connection in
            try await connection.query("""
                SELECT name, japanese_name, country, agreements::text AS agreements, aliases
                FROM partners WHERE program = $1 ORDER BY position
                """, program).map { row in
                let agreements: [Partner.Agreement]
                if case .array(let items) = try JSONParser.parse(try row.string("agreements")) {
                    agreements = items.map { item in
                        func text(_ key: String) -> String { if case .string(let s)? = item[key] { return s }; return "" }
                        return Partner.Agreement(level: text("level"), department: text("department"), homeFaculty: text("home_faculty"))
                    }
                } else { agreements = [] }
                return Partner(name: try row.string("name"), japaneseName: try row.string("japanese_name"), country: try row.string("country"),
                               agreements: agreements, aliases: try row.strings("aliases"))
            }
        }
    }

    /// A matcher for the program's list with the officers' decisions applied.
    public func matcher(program: String) async throws -> PartnerMatcher {
        let partners = try await partners(program: program)
        var confirmed: [String: String] = [:]
        var rejected: Set<String> = []
        try await database.pool.withConnection { connection in
            for row in try await connection.query("SELECT spelling, partner FROM partner_decisions WHERE program = $1", program) {
                if let partner = try row.optionalString("partner") { confirmed[try row.string("spelling")] = partner }
                else { rejected.insert(try row.string("spelling")) }
            }
        }
        return PartnerMatcher(partners: partners, confirmed: confirmed, rejected: rejected)
    }

    /// A stamp that changes whenever the list or a decision on it changes (for caches).
    public func version(program: String) async throws -> String {
        try await database.pool.withConnection { connection in
            try await connection.query("""
                SELECT coalesce((SELECT imported_at::text FROM partner_lists WHERE program = $1), '') || '/' ||
                       coalesce((SELECT max(decided_at)::text || count(*)::text FROM partner_decisions WHERE program = $1), '') AS v
                """, program).first!.string("v")
        }
    }

    /// Records an officer's decision on a spelling: `partner` confirms it as that partner, nil
    /// rejects it. The spelling becomes an alias (or a known non-partner), and every application
    /// whose latest decision waited on that spelling is screened again. Returns how many.
    public func decide(program: String, spelling: String, partner: String?, reason: String) async throws -> Int {
        if let partner {
            let names = try await partners(program: program).map(\.name)
            guard names.contains(partner) else {
                throw BursarError.notFound("\"\(partner)\" is not on the partner list of \(program); use the exact English name as `bursar partners list` prints it")
            }
        }
        let key = PartnerMatcher.decisionKey(spelling)
        return try await database.pool.withTransaction { connection in
            try await connection.query("""
                INSERT INTO partner_decisions (program, spelling_key, spelling, partner, reason) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (program, spelling_key) DO UPDATE SET spelling = excluded.spelling, partner = excluded.partner,
                    reason = excluded.reason, decided_at = now()
                """, program, key, spelling, partner, reason)
            let waiting = try await connection.query("""
                SELECT d.applicant_id, d.revision FROM decisions d
                WHERE d.program = $1 AND d.partner_key = $2
                  AND d.id = (SELECT max(id) FROM decisions x WHERE x.program = d.program AND x.applicant_id = d.applicant_id)
                """, program, key)
            let targets = try waiting.map { (try $0.string("applicant_id"), try $0.int("revision")) }
            try await Rescreening.enqueue(program: program, applicants: targets, on: connection, queue: database.queue)
            try await AuditLog.record(on: connection, action: partner == nil ? "partners.reject" : "partners.confirm", program: program, reason: reason,
                                      detail: ["partner": partner ?? "", "rescreened": "\(targets.count)"])
            return targets.count
        }
    }
}
