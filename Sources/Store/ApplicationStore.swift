import Foundation
import JobQueue
import Postgres
import Screening

/// Stores submitted applications: each accepted record in the same transaction as the job that
/// processes it. Identical content is `unchanged`; changed content is a new revision. Every
/// revision is kept.
public struct ApplicationStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    /// An accepted record ready to store.
    public struct Record: Sendable {
        public let line: Int
        public let application: Application
        /// The record as canonical JSON (with the batch's program filled in).
        public let content: String
        public init(line: Int, application: Application, content: String) {
            self.line = line
            self.application = application
            self.content = content
        }
    }

    public enum Stored: Sendable, Equatable {
        case accepted(revision: Int)
        case unchanged(revision: Int)
    }

    /// Stores `records` (from one batch folder) in one transaction with their jobs. Records for
    /// the same applicant later in the list become later revisions.
    public func store(_ records: [Record], batchFolder: String) async throws -> [Stored] {
        guard !records.isEmpty else { return [] }
        // Split where an applicant repeats, so each statement touches an applicant once.
        var groups: [[Int]] = [[]]
        var seen = Set<String>()
        for (i, record) in records.enumerated() {
            let key = record.application.program + "\u{1}" + record.application.applicantID
            if seen.contains(key) {
                groups.append([])
                seen.removeAll()
            }
            seen.insert(key)
            groups[groups.count - 1].append(i)
        }
        return try await database.pool.withTransaction { connection in
            var results = [Stored?](repeating: nil, count: records.count)
            for group in groups where !group.isEmpty {
                let chunk = group.map { records[$0] }
                let hashes = chunk.map { SHA256.hex($0.content.utf8) }
                let rows = try await connection.query(
                    """
                    INSERT INTO applicants (program, applicant_id, latest_revision, content_hash, birth_date,
                    family_name, given_name, citizenships,
                                            name_key)
                    SELECT p, a, 1, h, b::date, f, g, string_to_array(z, ','), k
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                    $8::text[])
                        AS t(p, a, h, b, f, g, z, k)
                    ON CONFLICT (program, applicant_id) DO UPDATE
                        SET latest_revision = applicants.latest_revision + 1, content_hash = excluded.content_hash,
                            birth_date = excluded.birth_date, family_name = excluded.family_name,
                            given_name = excluded.given_name, citizenships = excluded.citizenships, name_key = \
                            excluded.name_key
                        WHERE applicants.content_hash <> excluded.content_hash
                    RETURNING program, applicant_id, latest_revision
                    """, TextArray(chunk.map(\.application.program)), TextArray(chunk.map(\.application.applicantID)),
                    TextArray(hashes),
                    TextArray(chunk.map { $0.application.birthDate.description }),
                    TextArray(chunk.map(\.application.familyName)),
                    TextArray(chunk.map(\.application.givenName)),
                    TextArray(chunk.map { $0.application.citizenships.joined(separator: ",") }),
                    // The blocking key of duplicate lookups (PersonScreening.duplicates).
                    TextArray(
                        chunk.map {
                            PersonName(family: $0.application.familyName, given: $0.application.givenName).letterKey
                        }))
                var revisions: [String: Int] = [:]
                for row in rows {
                    revisions[try row.string("program") + "\u{1}" + (try row.string("applicant_id"))] = try row.int(
                        "latest_revision")
                }
                var inserted: [(Record, Int, String)] = []
                var unchangedKeys: [Int] = []
                for (offset, index) in group.enumerated() {
                    let record = records[index]
                    if let revision = revisions[record.application.program + "\u{1}" + record.application.applicantID] {
                        inserted.append((record, revision, hashes[offset]))
                        results[index] = .accepted(revision: revision)
                    } else {
                        unchangedKeys.append(index)
                    }
                }
                if !unchangedKeys.isEmpty {
                    let current = try await connection.query(
                        """
                        SELECT program, applicant_id, latest_revision FROM applicants
                        WHERE (program, applicant_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
                        """, TextArray(unchangedKeys.map { records[$0].application.program }),
                        TextArray(unchangedKeys.map { records[$0].application.applicantID }))
                    var latest: [String: Int] = [:]
                    for row in current {
                        latest[try row.string("program") + "\u{1}" + (try row.string("applicant_id"))] = try row.int(
                            "latest_revision")
                    }
                    for index in unchangedKeys {
                        let app = records[index].application
                        results[index] = .unchanged(revision: latest[app.program + "\u{1}" + app.applicantID] ?? 1)
                    }
                }
                guard !inserted.isEmpty else { continue }
                _ = try await connection.copyIn(
                    """
                    COPY applications (program, applicant_id, revision, content, content_hash, batch_dir, source_line,
                                       birth_date, family_name, given_name, citizenships) FROM STDIN
                    """,
                    rows: inserted.map { record, revision, hash in
                        let app = record.application
                        return [
                            app.program, app.applicantID, String(revision), record.content, hash, batchFolder,
                            String(record.line),
                            app.birthDate.description, app.familyName, app.givenName,
                            TextArray(app.citizenships).postgresText,
                        ]
                    })
                let byProgram = Dictionary(grouping: inserted, by: { $0.0.application.program })
                var jobs: [JobInsert] = []
                for (program, rows) in byProgram.sorted(by: { $0.key < $1.key }) {
                    jobs += try ApplicationsJob.jobs(
                        kind: JobKinds.documents, program: program,
                        items: rows.map { .init(applicantID: $0.0.application.applicantID, revision: $0.1) })
                }
                try await database.queue.enqueue(jobs, on: connection)
            }
            return results.map { $0! }
        }
    }

    /// One stored revision: the application, its batch folder, its document checks (once made),
    /// and the applicant's latest revision.
    public struct StoredApplication: Sendable {
        public let application: Application
        public let batchFolder: String
        public let revision: Int
        public let latestRevision: Int
        public let documentChecks: [DocumentCheck]?
        /// The kept version of those checks (`document_check_versions`), recorded with a decision.
        public let documentsVersion: Int?
    }

    /// Loads revisions of one program with one statement, on `connection` (inside the caller's
    /// transaction). Revisions that do not exist are left out.
    public static func load(program: String, items: [ApplicationsJob.Item], on connection: Connection) async throws
        -> [StoredApplication]
    {
        let rows = try await connection.query(
            loadSQL, program, TextArray(items.map(\.applicantID)), TextArray(items.map { String($0.revision) }))
        return try keyed(rows).map { item, row in
            let revision = item.revision
            let application: Application
            switch ApplicationDecoder.decode(try JSONParser.parse(try row.string("content"))) {
            case .success(let decoded): application = decoded
            case .failure(let rejection):
                throw BursarError.input("a stored application (revision \(revision)) no longer validates: \(rejection)")
            }
            let checks = try row.optionalString("checks").map { try DocumentCheck.parse($0) }
            return StoredApplication(
                application: application, batchFolder: try row.string("batch_dir"), revision: revision,
                latestRevision: try row.int("latest_revision"), documentChecks: checks,
                documentsVersion: try row.optionalInt("checks_version"))
        }
    }

    /// The documents of revisions of one program, and their batch folder — only the stored
    /// record's `documents` member is parsed: it is found in the record's text by
    /// ``JSONMemberScan``, which builds nothing (the server's `content::json -> 'documents'` had
    /// parsed every whole record, a third of the documents job's statement time).
    public static func documents(program: String, items: [ApplicationsJob.Item], on connection: Connection) async throws
        -> [(item: ApplicationsJob.Item, batchFolder: String, documents: [DocumentReference])]
    {
        let rows = try await connection.query(
            documentsSQL, program, TextArray(items.map(\.applicantID)), TextArray(items.map { String($0.revision) }))
        return try keyed(rows).map { item, row in
            var documents: [DocumentReference] = []
            if case .array(let values)? = try documentsMember(of: try row.string("content")) {
                for value in values {
                    // Validated when submitted; read back as stored.
                    guard case .string(let type)? = value["type"], let documentType = DocumentType(rawValue: type),
                        case .string(let file)? = value["file"], case .string(let hash)? = value["sha256"]
                    else { continue }
                    documents.append(DocumentReference(type: documentType, file: file, sha256: hash.lowercased()))
                }
            }
            return (item, try row.string("batch_dir"), documents)
        }
    }

    /// The `documents` member of a stored record's text, parsed; nil when it has none.
    private static func documentsMember(of content: String) throws -> JSONValue? {
        var content = content
        return try content.withUTF8 { bytes in
            try JSONMemberScan.valueRange(of: "documents", in: bytes).map {
                try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[$0]))
            }
        }
    }

    /// Records the document checks of revisions (replacing an earlier check of the same
    /// revision: `documents recheck`) and queues their screening, on `connection` (inside the
    /// document job's transaction).
    public static func saveDocumentChecks(
        program: String, checks: [(item: ApplicationsJob.Item, json: String)],
        on connection: Connection, queue: JobQueueClient
    ) async throws {
        try await connection.query(
            """
            INSERT INTO document_checks (program, applicant_id, revision, checks)
            SELECT $1, a, r, c FROM unnest($2::text[], $3::int[], $4::text[]) AS u(a, r, c)
            ON CONFLICT (program, applicant_id, revision) DO UPDATE SET checks = excluded.checks, checked_at = now()
            """, program, TextArray(checks.map(\.item.applicantID)), TextArray(checks.map { String($0.item.revision) }),
            TextArray(checks.map(\.json)))
        try await queue.enqueue(
            try ApplicationsJob.jobs(kind: JobKinds.screen, program: program, items: checks.map(\.item)), on: connection
        )
    }

    /// Queues the documents of the latest revision of `applicantID` (or of every application of
    /// `program` when nil) to be checked again — from `folder`, or the batch folder recorded at
    /// submit when nil — and decided again (`bursar documents recheck`). Returns how many.
    public func recheckDocuments(program: String, applicantID: String?, folder: String?, reason: String? = nil)
        async throws -> Int
    {
        try await database.pool.withTransaction { connection in
            let items = try await connection.query(
                """
                SELECT applicant_id, latest_revision FROM applicants
                WHERE program = $1 AND ($2::text IS NULL OR applicant_id = $2) ORDER BY applicant_id
                """, program, applicantID
            ).map {
                ApplicationsJob.Item(
                    applicantID: try $0.string("applicant_id"), revision: try $0.int("latest_revision"))
            }
            if let applicantID, items.isEmpty {
                throw BursarError.notFound("no application with applicant_id \(applicantID) in \(program)")
            }
            try await database.queue.enqueue(
                try ApplicationsJob.jobs(
                    kind: JobKinds.documents, program: program, items: items, folder: folder, priority: 50),
                on: connection)
            try await AuditLog.record(
                on: connection, action: "documents.recheck", program: program, applicantID: applicantID, reason: reason,
                detail: ["applications": "\(items.count)", "other_folder": folder == nil ? "no" : "yes"])
            return items.count
        }
    }

    // The statements below read the listed revisions one index probe each: a LATERAL subquery
    // per item behind OFFSET 0, which the planner cannot flatten into a join. As `applicant_id =
    // ANY($2) AND revision = ANY($3)` (or a plain join with `unnest`), statistics taken while a
    // program was still empty — a first batch, whose rows autoanalyze has not seen yet — made
    // the program look one row long, and each statement read every revision of the program to
    // filter out its fifty: quadratic in the batch (issue 26, 450 ms a statement at 30,000;
    // StaleStatisticsPlanTests).

    /// The stored revisions of `items`, with the applicant's latest revision and the document
    /// checks of each.
    static let loadSQL = """
        SELECT u.applicant_id, u.revision, a.content, a.batch_dir, a.latest_revision, a.checks, a.checks_version
        FROM unnest($2::text[], $3::int[]) AS u(applicant_id, revision)
        CROSS JOIN LATERAL (
            SELECT a.content, a.batch_dir,
                   (SELECT h.latest_revision FROM applicants h
                    WHERE h.program = a.program AND h.applicant_id = a.applicant_id) AS latest_revision,
                   (SELECT c.checks FROM document_checks c
                    WHERE c.program = a.program AND c.applicant_id = a.applicant_id AND c.revision = a.revision)
                       AS checks,
                   (SELECT c.version FROM document_checks c
                    WHERE c.program = a.program AND c.applicant_id = a.applicant_id AND c.revision = a.revision)
                       AS checks_version
            FROM applications a
            WHERE a.program = $1 AND a.applicant_id = u.applicant_id AND a.revision = u.revision
            OFFSET 0) a
        """

    /// The stored text and batch folder of the revisions of `items`.
    static let documentsSQL = """
        SELECT u.applicant_id, u.revision, a.batch_dir, a.content
        FROM unnest($2::text[], $3::int[]) AS u(applicant_id, revision)
        CROSS JOIN LATERAL (
            SELECT a.batch_dir, a.content FROM applications a
            WHERE a.program = $1 AND a.applicant_id = u.applicant_id AND a.revision = u.revision
            OFFSET 0) a
        """

    /// The rows with the item each is, each item once (a job that listed one twice reads it once).
    private static func keyed(_ rows: PostgresRows) throws -> [(ApplicationsJob.Item, PostgresRow)] {
        var seen = Set<ApplicationsJob.Item>()
        return try rows.compactMap { row in
            let item = ApplicationsJob.Item(
                applicantID: try row.string("applicant_id"), revision: try row.int("revision"))
            return seen.insert(item).inserted ? (item, row) : nil
        }
    }
}
