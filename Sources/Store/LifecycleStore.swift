import Foundation
import JobQueue
import Lifecycle
import Postgres
import Screening

/// Lifecycle events and scholarships. Every method works on the caller's connection.
public enum LifecycleStore {
    /// What became of one submitted event line.
    public enum Submitted: Sendable, Equatable {
        case queued
        /// An event with this `event_id` and the same content was submitted before; ignored.
        case duplicateEventID
        /// The `event_id` was used before for a different event; rejected, nothing stored.
        case conflictingEventID(String)
    }

    /// One event line to store: its line, the decoded event, its program and its canonical JSON.
    public typealias Line = (line: Int, event: SubmittedEvent, program: String, body: String)

    /// Takes the lifecycle lock of each applicant named until the transaction on `connection`
    /// ends: the advisory lock `hashtext('lifecycle:PROGRAM:APPLICANT')`, the key the decisions
    /// side takes too before it flags a scholarship.
    ///
    /// `submit` takes it before it stores an applicant's events and the worker before it reads
    /// them: a job never reads the pending events while a submission of the same applicant is
    /// uncommitted (so none is stranded behind a job that already read), and `seq` is taken under
    /// it (so submission order is commit order). One statement takes them in key order, so two
    /// submissions naming the same applicants cannot deadlock. Each distinct applicant of a file
    /// is one entry of the server's lock table (`max_locks_per_transaction` × connections, 6,400
    /// by default): far above the admissions of a program.
    public static func lockApplicants(_ applicants: [(program: String, applicantID: String)], on connection: Connection) async throws {
        guard !applicants.isEmpty else { return }
        try await connection.query("""
            SELECT count(pg_advisory_xact_lock(k)) AS n
            FROM (SELECT DISTINCT hashtext('lifecycle:' || p || ':' || a) AS k FROM unnest($1::text[], $2::text[]) AS t(p, a) ORDER BY k) AS keys
            """, TextArray(applicants.map(\.program)), TextArray(applicants.map(\.applicantID)))
    }

    /// Stores events in file order and enqueues one job per applicant to apply them, inside the
    /// caller's transaction on `connection` (`queue` inserts the jobs on it).
    public static func submit(_ events: [Line], queue: JobQueueClient, on connection: Connection) async throws -> [Submitted] {
        let applicants = Set(events.map { [$0.program, $0.event.applicantID] }).sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        try await lockApplicants(applicants.map { (program: $0[0], applicantID: $0[1]) }, on: connection)
        var results: [Submitted] = []
        var queued = Set<[String]>()
        for item in events {
            let rows = try await connection.query("""
                INSERT INTO lifecycle_events (program, event_id, applicant_id, type, body) VALUES ($1, $2, $3, $4, $5::jsonb)
                ON CONFLICT (program, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING seq
                """, item.program, item.event.eventID, item.event.applicantID, item.event.event.typeName, JSONText(item.body))
            if !rows.isEmpty {
                results.append(.queued)
                queued.insert([item.program, item.event.applicantID])
                continue
            }
            let earlier = try await connection.query("""
                SELECT seq, body = $3::jsonb AS same FROM lifecycle_events WHERE program = $1 AND event_id = $2
                """, item.program, item.event.eventID, JSONText(item.body)).first
            if let earlier, try earlier.bool("same") {
                results.append(.duplicateEventID)
            } else {
                let seq = try earlier.map { String(try $0.int64("seq")) } ?? "?"
                results.append(.conflictingEventID(
                    "event_id \"\(item.event.eventID ?? "")\" was already used by event \(seq) with different content; give this event a new event_id"))
            }
        }
        let jobs = try applicants.filter(queued.contains).map { pair in
            try JobInsert(kind: JobKinds.lifecycle, queue: "lifecycle", arguments: LifecycleJob(program: pair[0], applicantID: pair[1]),
                          uniqueKey: "lifecycle:\(pair[0]):\(pair[1])")
        }
        try await queue.enqueue(jobs, on: connection)
        return results
    }

    /// What an `admitted` event needs, read on `connection` (under the applicant's lock): whether
    /// the applicant exists, the outcome of the latest revision's latest decision (nil while
    /// undecided) and the course applied for.
    public static func admissionBasis(program: String, applicantID: String, on connection: Connection) async throws -> (outcome: Outcome?, course: Course)? {
        guard let row = try await connection.query("""
            SELECT a.content::jsonb ->> 'course' AS course,
                   (SELECT d.outcome FROM decisions d
                    WHERE d.program = h.program AND d.applicant_id = h.applicant_id AND d.revision = h.latest_revision
                    ORDER BY d.id DESC LIMIT 1) AS outcome
            FROM applicants h
            JOIN applications a ON a.program = h.program AND a.applicant_id = h.applicant_id AND a.revision = h.latest_revision
            WHERE h.program = $1 AND h.applicant_id = $2
            FOR SHARE OF h
            """, program, applicantID).first else { return nil }
        let outcome = try row.optionalString("outcome").flatMap(Outcome.init(rawValue:)).flatMap { $0 == .pending ? nil : $0 }
        return (outcome, try row.optionalString("course").flatMap(Course.init(rawValue:)) ?? .master)
    }

    /// The pending events of one applicant in submission order, locked (on `connection`).
    public static func pendingEvents(program: String, applicantID: String, on connection: Connection) async throws -> [(seq: Int64, body: String)] {
        try await connection.query("""
            SELECT seq, body::text AS body FROM lifecycle_events
            WHERE program = $1 AND applicant_id = $2 AND status = 'pending' ORDER BY seq FOR UPDATE
            """, program, applicantID).map { (try $0.int64("seq"), try $0.string("body")) }
    }

    /// Records that an event applied, with what it did.
    public static func markApplied(seq: Int64, effect: String, on connection: Connection) async throws {
        try await connection.query("UPDATE lifecycle_events SET status = 'applied', effect = $2, processed_at = now() WHERE seq = $1", seq, effect)
    }

    /// Records that an event was rejected, and why.
    public static func markRejected(seq: Int64, message: String, on connection: Connection) async throws {
        try await connection.query("UPDATE lifecycle_events SET status = 'rejected', message = $2, processed_at = now() WHERE seq = $1", seq, message)
    }

    /// Records a flag raised or cleared by an event (`action` is `raised` or `cleared`).
    public static func recordFlag(program: String, applicantID: String, flag: String, action: String, reason: String,
                                  on connection: Connection) async throws {
        try await connection.query("INSERT INTO flag_actions (program, applicant_id, flag, action, reason) VALUES ($1, $2, $3, $4, $5)",
                                   program, applicantID, flag, action, reason)
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
    public static func scholarships(program: String?, on connection: Connection) async throws -> [Scholarship] {
        try await connection.query("""
            SELECT state::text AS state FROM scholarships WHERE ($1::text IS NULL OR program = $1) ORDER BY program, applicant_id
            """, program).map { try decodeState(try $0.string("state")) }
    }

    /// One stored event with what became of it.
    public struct StoredEvent: Sendable {
        public let seq: Int64
        public let applicantID: String
        public let eventID: String?
        public let type: String
        public let date: String?
        public let status: String
        /// What the event did (applied) or why it was rejected.
        public let effect: String?
    }

    /// The events of `program` (all when nil), of one applicant when given, in submission order.
    public static func events(program: String?, applicantID: String?, on connection: Connection) async throws -> [StoredEvent] {
        try await connection.query("""
            SELECT seq, applicant_id, event_id, type, body ->> 'date' AS date, status, coalesce(message, effect) AS effect FROM lifecycle_events
            WHERE ($1::text IS NULL OR program = $1) AND ($2::text IS NULL OR applicant_id = $2) ORDER BY seq
            """, program, applicantID).map {
            StoredEvent(seq: try $0.int64("seq"), applicantID: try $0.string("applicant_id"), eventID: try $0.optionalString("event_id"),
                        type: try $0.string("type"), date: try $0.optionalString("date"), status: try $0.string("status"),
                        effect: try $0.optionalString("effect"))
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
