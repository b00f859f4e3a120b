import Foundation
import JobQueue
import Lifecycle
import Postgres
import Screening

/// Lifecycle events and scholarships.
public struct LifecycleStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    public enum Submitted: Sendable, Equatable {
        case queued
        /// An event with this `event_id` was submitted before; this one is ignored.
        case duplicateEventID
    }

    /// Stores events in file order and enqueues one job per applicant to apply them, all in one
    /// transaction.
    public func submit(_ events: [(line: Int, event: SubmittedEvent, program: String, body: String)]) async throws -> [Submitted] {
        try await database.pool.withTransaction { connection in
            var results: [Submitted] = []
            var applicants = Set<[String]>()
            for item in events {
                let rows = try await connection.query("""
                    INSERT INTO lifecycle_events (program, event_id, applicant_id, type, body) VALUES ($1, $2, $3, $4, $5::jsonb)
                    ON CONFLICT (program, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING seq
                    """, item.program, item.event.eventID, item.event.applicantID, item.event.event.typeName, JSONText(item.body))
                if rows.isEmpty { results.append(.duplicateEventID) } else {
                    results.append(.queued)
                    applicants.insert([item.program, item.event.applicantID])
                }
            }
            let jobs = try applicants.sorted { $0.joined() < $1.joined() }.map { pair in
                try JobInsert(kind: JobKinds.lifecycle, queue: "lifecycle", arguments: LifecycleJob(program: pair[0], applicantID: pair[1]),
                              uniqueKey: "lifecycle:\(pair[0]):\(pair[1])")
            }
            try await database.queue.enqueue(jobs, on: connection)
            return results
        }
    }

    /// Loads a scholarship on `connection`.
    public static func scholarship(program: String, applicantID: String, on connection: Connection, forUpdate: Bool = false) async throws -> Scholarship? {
        let sql = "SELECT state::text AS state FROM scholarships WHERE program = $1 AND applicant_id = $2" + (forUpdate ? " FOR UPDATE" : "")
        guard let row = try await connection.query(sql, program, applicantID).first else { return nil }
        return try decodeState(try row.string("state"))
    }

    /// A scholarship from its stored `state` (jsonb text).
    static func decodeState(_ json: String) throws -> Scholarship {
        try JSONDecoder().decode(Scholarship.self, from: Data(json.utf8))
    }

    /// Writes a scholarship on `connection`.
    public static func save(_ scholarship: Scholarship, program: String, on connection: Connection) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let state = String(decoding: try encoder.encode(scholarship), as: UTF8.self)
        try await connection.query("""
            INSERT INTO scholarships (program, applicant_id, course, status, state, updated_at) VALUES ($1, $2, $3, $4, $5::jsonb, now())
            ON CONFLICT (program, applicant_id) DO UPDATE SET status = excluded.status, state = excluded.state, updated_at = now()
            """, program, scholarship.applicantID, scholarship.course.rawValue, scholarship.status.rawValue, JSONText(state))
    }

    /// Every scholarship of `program` (all when nil), by applicant.
    public func scholarships(program: String?) async throws -> [Scholarship] {
        try await database.pool.withConnection { connection in
            try await connection.query("""
                SELECT state::text AS state FROM scholarships WHERE ($1::text IS NULL OR program = $1) ORDER BY program, applicant_id
                """, program).map { try Self.decodeState(try $0.string("state")) }
        }
    }

    /// The events of one applicant with what became of them.
    public func events(program: String?, applicantID: String?) async throws -> [(seq: Int64, applicant: String, type: String, status: String, message: String?)] {
        try await database.pool.withConnection { connection in
            try await connection.query("""
                SELECT seq, applicant_id, type, status, message FROM lifecycle_events
                WHERE ($1::text IS NULL OR program = $1) AND ($2::text IS NULL OR applicant_id = $2) ORDER BY seq
                """, program, applicantID).map {
                (try $0.int64("seq"), try $0.string("applicant_id"), try $0.string("type"), try $0.string("status"), try $0.optionalString("message"))
            }
        }
    }
}

/// Arguments of the job that applies an applicant's pending events in order.
public struct LifecycleJob: Codable, Sendable {
    public let program: String
    public let applicantID: String
    public init(program: String, applicantID: String) {
        self.program = program
        self.applicantID = applicantID
    }
    enum CodingKeys: String, CodingKey { case program, applicantID = "applicant_id" }
}

/// Arguments of the monthly payment run.
public struct PaymentRunJob: Codable, Sendable {
    public let program: String
    public let month: String
    public let folder: String
    public init(program: String, month: String, folder: String) {
        self.program = program
        self.month = month
        self.folder = folder
    }
}
