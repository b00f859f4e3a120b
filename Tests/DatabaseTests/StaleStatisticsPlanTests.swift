import Foundation
import Postgres
import Testing

@testable import Store

/// Issue 26, "the main job three times faster": `bench pipeline` spent most of its database time
/// in two statements of the workers, 450 ms each at 30,000 applications. Their `applicant_id =
/// ANY($2)` lists were planned as a scan of the whole program with the list as a filter, because
/// the statistics had been taken while the program was still empty — as they are during any
/// program's first batch. Each job's statements must read the rows it lists, whatever the
/// statistics say.
@Suite("Worker statements under statistics of an empty program", .enabled(if: databaseAvailable))
struct StaleStatisticsPlanTests {
    static let program = "tgp-2026"
    static let stored = 20_000
    static let listed = 50

    /// A database whose statistics were taken before the program held anything, then 20,000
    /// applications of it (autovacuum off on those tables, so the statistics stay stale).
    static func staleDatabase() async throws -> Database {
        let database = try await TestDatabase.migrated(poolSize: 2)
        try await database.pool.withConnection { connection in
            for table in ["applicants", "applications", "document_checks", "decisions"] {
                try await connection.simpleQuery("ALTER TABLE \(table) SET (autovacuum_enabled = false)")
                try await connection.simpleQuery("ANALYZE \(table)")
            }
            try await connection.query(
                """
                INSERT INTO applicants (program, applicant_id, latest_revision, content_hash, birth_date, family_name,
                                        given_name, citizenships)
                SELECT $1, 'S-' || g, 1, 'h', DATE '2000-01-01', 'F', 'G', ARRAY['VN'] FROM generate_series(1, $2) g
                """, program, stored)
            try await connection.query(
                """
                INSERT INTO applications (program, applicant_id, revision, content, content_hash, batch_dir, birth_date,
                                          family_name, given_name, citizenships)
                SELECT $1, 'S-' || g, 1, '{}', 'h', '/', DATE '2000-01-01', 'F', 'G', ARRAY['VN']
                FROM generate_series(1, $2) g
                """, program, stored)
        }
        return database
    }

    /// The applicants a job lists: fifty spread over the program.
    static var ids: [String] { (1...listed).map { "S-\($0 * (stored / listed))" } }

    /// The most rows any node of the plan read (returned or filtered out, over all its loops).
    static func mostRowsRead(_ plan: String) throws -> Int {
        let root = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as! [[String: Any]]
        func walk(_ node: [String: Any]) -> Int {
            let loops = node["Actual Loops"] as? Int ?? 1
            let rows = (node["Actual Rows"] as? Int ?? 0) + (node["Rows Removed by Filter"] as? Int ?? 0)
            let children = (node["Plans"] as? [[String: Any]] ?? []).map(walk)
            return max(rows * loops, children.max() ?? 0)
        }
        return walk(root[0]["Plan"] as! [String: Any])
    }

    static func explain(_ sql: String, _ arguments: any PostgresBindable..., on database: Database) async throws
        -> Int
    {
        try await database.pool.withConnection { connection in
            let rows = try await connection.query("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, arguments)
            return try mostRowsRead(try rows.map { try $0.string("QUERY PLAN") }.joined())
        }
    }

    @Test("A job's statements read the revisions it lists, not the program")
    func statementsReadWhatTheyList() async throws {
        let database = try await Self.staleDatabase()
        let revisions = TextArray(Array(repeating: "1", count: Self.listed))
        let load = try await Self.explain(
            ApplicationStore.loadSQL, Self.program, TextArray(Self.ids), revisions, on: database)
        #expect(load <= 4 * Self.listed, "the load statement read \(load) rows for \(Self.listed) revisions")
        let documents = try await Self.explain(
            ApplicationStore.documentsSQL, Self.program, TextArray(Self.ids), revisions, on: database)
        #expect(documents <= 4 * Self.listed, "the documents statement read \(documents) rows")
        let partners = try await Self.explain(
            PersonScreening.currentDuplicatePartnersSQL, Self.program, TextArray(Self.ids), on: database)
        #expect(partners <= 4 * Self.listed, "the duplicate-partners statement read \(partners) rows")
        // And the statements still return what they list.
        let loaded = try await database.pool.withConnection { connection in
            try await connection.query(ApplicationStore.documentsSQL, Self.program, TextArray(Self.ids), revisions)
                .map { try $0.string("applicant_id") }
        }
        #expect(Set(loaded) == Set(Self.ids))
        await database.close()
    }

    @Test("The generic plan a cached statement turns into reads what it lists too")
    func genericPlansReadWhatTheyList() async throws {
        let database = try await Self.staleDatabase()
        let ids = TextArray(Self.ids).postgresText!
        let revisions = TextArray(Array(repeating: "1", count: Self.listed)).postgresText!
        let read = try await database.pool.withConnection { connection in
            try await connection.simpleQuery("PREPARE load_many(text, text[], int[]) AS " + ApplicationStore.loadSQL)
            try await connection.simpleQuery("SET plan_cache_mode = force_generic_plan")
            let plan = try await connection.simpleQuery(
                "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE load_many('\(Self.program)', '\(ids)', '\(revisions)')")
            return try Self.mostRowsRead(try plan.map { try $0.string("QUERY PLAN") }.joined())
        }
        #expect(read <= 4 * Self.listed, "the generic plan read \(read) rows")
        await database.close()
    }

    /// A service's database at a new program's first batch: statistics taken while another
    /// program held 5,000 applicants and decisions and this one none (as `bench pipeline` leaves
    /// them after emptying its program), then 20,000 applicants of this one with names and birth
    /// dates spread as real ones are.
    static func newProgramDatabase() async throws -> Database {
        let database = try await TestDatabase.migrated(poolSize: 2)
        try await database.pool.withConnection { connection in
            for table in ["applicants", "applications", "decisions"] {
                try await connection.simpleQuery("ALTER TABLE \(table) SET (autovacuum_enabled = false)")
            }
            try await connection.query(
                """
                INSERT INTO programs (id, rule_set, definition)
                SELECT 'other-2025', 'other-2025@1', definition FROM programs WHERE id = $1
                """, program)
            try await insertApplicants(program: "other-2025", count: 5_000, on: connection)
            try await connection.query(
                """
                INSERT INTO decisions (program, applicant_id, revision, outcome, categories, failed, review,
                                       conditions, rule_set, trace)
                SELECT 'other-2025', applicant_id, 1, 'eligible', '{}', '{}', '{}', '{}', 'other-2025@1', '{}'
                FROM applicants WHERE program = 'other-2025'
                """)
            for table in ["applicants", "applications", "decisions"] {
                try await connection.simpleQuery("ANALYZE \(table)")
            }
            try await insertApplicants(program: program, count: stored, on: connection)
        }
        return database
    }

    /// `count` applicants S-1… of `program`: a birth date among 5,479 days, a name key among 26.
    static func insertApplicants(program: String, count: Int, on connection: Connection) async throws {
        try await connection.query(
            """
            INSERT INTO applicants (program, applicant_id, latest_revision, content_hash, birth_date, family_name,
                                    given_name, citizenships, name_key)
            SELECT $1, 'S-' || g, 1, 'h', DATE '1986-01-01' + (g * 7919) % 5479, 'F', 'G', ARRAY['VN'],
                   chr(65 + g % 26)
            FROM generate_series(1, $2) g
            """, program, count)
    }

    @Test("A new program's first batch: each person lookup reads the people it probes, not the program")
    func personLookupsReadWhatTheyProbe() async throws {
        let database = try await Self.newProgramDatabase()
        let numbers = (1...Self.listed).map { $0 * (Self.stored / Self.listed) }
        let days = numbers.map { number in
            let date = Calendar(identifier: .gregorian).date(
                byAdding: .day, value: (number * 7919) % 5479,
                to: DateComponents(calendar: Calendar(identifier: .gregorian), year: 1986, month: 1, day: 1).date!)!
            return String(date.formatted(.iso8601.year().month().day()))
        }
        let keys = numbers.map { String(UnicodeScalar(65 + $0 % 26)!) }
        let duplicates = try await Self.explain(
            PersonScreening.duplicatesSQL, Self.program, TextArray(days),
            TextArray(Array(repeating: "VN", count: Self.listed)), TextArray(keys), on: database)
        #expect(duplicates <= 4 * Self.listed, "the duplicates statement read \(duplicates) rows for 50 people")
        let partners = try await Self.explain(
            PersonScreening.currentDuplicatePartnersSQL, Self.program, TextArray(Self.ids), on: database)
        #expect(partners <= 4 * Self.listed, "the duplicate-partners statement read \(partners) rows")
        // And the lookup still finds each probed applicant (its own row: same day, key, country).
        let found = try await database.pool.withConnection { connection in
            try await connection.query(
                PersonScreening.duplicatesSQL, Self.program, TextArray(days),
                TextArray(Array(repeating: "VN", count: Self.listed)), TextArray(keys)
            ).map { try $0.string("applicant_id") }
        }
        #expect(Set(Self.ids).isSubset(of: Set(found)))
        await database.close()
    }
}
