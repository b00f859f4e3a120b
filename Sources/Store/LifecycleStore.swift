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
    public static func lockApplicants(_ applicants: [(program: String, applicantID: String)], on connection: Connection)
        async throws
    {
        guard !applicants.isEmpty else { return }
        try await connection.query(
            """
            SELECT count(pg_advisory_xact_lock(k)) AS n
            FROM (SELECT DISTINCT hashtext('lifecycle:' || p || ':' || a) AS k FROM unnest($1::text[],
                $2::text[]) AS t(p, a) ORDER BY k) AS keys
            """, TextArray(applicants.map(\.program)), TextArray(applicants.map(\.applicantID)))
    }

    /// Stores events in file order and enqueues one job per applicant to apply them, inside the
    /// caller's transaction on `connection` (`queue` inserts the jobs on it).
    public static func submit(_ events: [Line], queue: JobQueueClient, on connection: Connection) async throws
        -> [Submitted]
    {
        let applicants = Set(events.map { [$0.program, $0.event.applicantID] }).sorted {
            ($0[0], $0[1]) < ($1[0], $1[1])
        }
        try await lockApplicants(applicants.map { (program: $0[0], applicantID: $0[1]) }, on: connection)
        var results: [Submitted] = []
        var queued = Set<[String]>()
        for item in events {
            let rows = try await connection.query(
                """
                INSERT INTO lifecycle_events (program, event_id, applicant_id, type, body) VALUES ($1, $2, $3, $4,
                    $5::jsonb)
                ON CONFLICT (program, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING seq
                """, item.program, item.event.eventID, item.event.applicantID, item.event.typeName, JSONText(item.body))
            if !rows.isEmpty {
                results.append(.queued)
                queued.insert([item.program, item.event.applicantID])
                continue
            }
            let earlier = try await connection.query(
                """
                SELECT seq, body = $3::jsonb AS same FROM lifecycle_events WHERE program = $1 AND event_id = $2
                """, item.program, item.event.eventID, JSONText(item.body)
            ).first
            if let earlier, try earlier.bool("same") {
                results.append(.duplicateEventID)
            } else {
                let seq = try earlier.map { String(try $0.int64("seq")) } ?? "?"
                results.append(
                    .conflictingEventID(
                        "event_id \"\(item.event.eventID ?? "")\" was already used by event \(seq) with different "
                            + "content; give this event a new event_id"
                    ))
            }
        }
        let jobs = try applicants.filter(queued.contains).map { pair in
            try JobInsert(
                kind: JobKinds.lifecycle, queue: "lifecycle",
                arguments: LifecycleJob(program: pair[0], applicantID: pair[1]),
                uniqueKey: "lifecycle:\(pair[0]):\(pair[1])")
        }
        try await queue.enqueue(jobs, on: connection)
        return results
    }

    /// What an `admitted` event needs, read on `connection` (under the applicant's lock): whether
    /// the applicant exists, the outcome and id of the latest revision's latest decision (nil
    /// while undecided) and the course applied for.
    public static func admissionBasis(
        program: String, applicantID: String,
        on connection: Connection
    ) async throws -> (outcome: Outcome?, decisionID: Int64?, course: Course)? {
        guard
            let row = try await connection.query(
                """
                SELECT a.content::jsonb ->> 'course' AS course, d.outcome, d.id
                FROM applicants h
                JOIN applications a ON a.program = h.program AND a.applicant_id = h.applicant_id AND a.revision =
                h.latest_revision
                LEFT JOIN LATERAL (SELECT x.outcome, x.id FROM decisions x
                        WHERE x.program = h.program AND x.applicant_id = h.applicant_id AND x.revision =
                        h.latest_revision
                        ORDER BY x.id DESC LIMIT 1) d ON true
                WHERE h.program = $1 AND h.applicant_id = $2
                FOR SHARE OF h
                """, program, applicantID
            ).first
        else { return nil }
        let outcome = try row.optionalString("outcome").flatMap(Outcome.init(rawValue:)).flatMap {
            $0 == .pending ? nil : $0
        }
        let decisionID: Int64? = try row.isNull("id") ? nil : try row.int64("id")
        return (outcome, decisionID, try row.optionalString("course").flatMap(Course.init(rawValue:)) ?? .master)
    }

    /// The pending events of one applicant in submission order, locked (on `connection`).
    public static func pendingEvents(program: String, applicantID: String, on connection: Connection) async throws -> [(
        seq: Int64, body: String
    )] {
        try await connection.query(
            """
            SELECT seq, body::text AS body FROM lifecycle_events
            WHERE program = $1 AND applicant_id = $2 AND status = 'pending' ORDER BY seq FOR UPDATE
            """, program, applicantID
        ).map { (try $0.int64("seq"), try $0.string("body")) }
    }

    /// Records that an event applied, with what it did (and, for a termination, the month from
    /// which it voids; for an admission, the decision in force).
    public static func markApplied(
        seq: Int64, effect: String, voidFrom: YearMonth? = nil, decisionID: Int64? = nil,
        on connection: Connection
    ) async throws {
        try await connection.query(
            """
            UPDATE lifecycle_events SET status = 'applied', effect = $2, void_from = $3, decision_id = $4,
            processed_at = now()
            WHERE seq = $1
            """, seq, effect, voidFrom?.description, decisionID)
    }

    /// Records that an event was rejected, and why.
    public static func markRejected(seq: Int64, message: String, on connection: Connection) async throws {
        try await connection.query(
            "UPDATE lifecycle_events SET status = 'rejected', message = $2, processed_at = now() WHERE seq = $1", seq,
            message)
    }

    /// Records that the event `seq` is withdrawn by the retraction `by`.
    public static func markRetracted(seq: Int64, by retraction: Int64, on connection: Connection) async throws {
        try await connection.query("UPDATE lifecycle_events SET retracted_by = $2 WHERE seq = $1", seq, retraction)
    }

    /// An event of one applicant named by its `event_id`, with what became of it.
    public static func event(
        program: String, applicantID: String, eventID: String,
        on connection: Connection
    ) async throws -> (seq: Int64, type: String, status: String, retractedBy: Int64?)? {
        try await connection.query(
            """
            SELECT seq, type, status, retracted_by FROM lifecycle_events WHERE program = $1 AND applicant_id = $2
            AND event_id = $3
            """, program, applicantID, eventID
        ).first.map {
            (
                try $0.int64("seq"), try $0.string("type"), try $0.string("status"),
                try $0.isNull("retracted_by") ? nil : try $0.int64("retracted_by")
            )
        }
    }

    /// The accepted, unretracted dated events of `program`'s applicants (one applicant when
    /// given), by applicant, in submission order: what the fold reads.
    public static func recordedEvents(
        program: String, applicantID: String? = nil,
        on connection: Connection
    ) async throws -> [String: [RecordedEvent]] {
        let rows = try await connection.query(
            """
            SELECT seq, applicant_id, event_id, body::text AS body, void_from FROM lifecycle_events
            WHERE program = $1 AND ($2::text IS NULL OR applicant_id = $2) AND status = 'applied'
              AND retracted_by IS NULL AND type <> 'retraction'
            ORDER BY applicant_id, seq
            """, program, applicantID)
        var events: [String: [RecordedEvent]] = [:]
        for row in rows {
            guard case .success(let decoded) = EventDecoder.decode(try JSONParser.parse(try row.string("body"))),
                let event = decoded.event
            else {
                throw BursarError.setup("the stored event \(try row.int64("seq")) no longer reads as an event")
            }
            let voidFrom = try row.optionalString("void_from").flatMap(YearMonth.init(iso:))
            events[try row.string("applicant_id"), default: []].append(
                RecordedEvent(
                    seq: try row.int64("seq"), eventID: try row.optionalString("event_id"), event: event,
                    voidFrom: voidFrom))
        }
        return events
    }

    /// The flags and holds open now for `program`'s applicants (one when given): for each flag,
    /// its latest action is `raised`. With the month a raised `eligibility.changed` holds from.
    public static func openFlags(
        program: String, applicantID: String? = nil,
        on connection: Connection
    ) async throws -> [String: [(flag: String, month: YearMonth?)]] {
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (applicant_id, flag) applicant_id, flag, action, month FROM flag_actions
            WHERE program = $1 AND ($2::text IS NULL OR applicant_id = $2)
            ORDER BY applicant_id, flag, id DESC
            """, program, applicantID)
        var open: [String: [(flag: String, month: YearMonth?)]] = [:]
        for row in rows where try row.string("action") == "raised" {
            open[try row.string("applicant_id"), default: []].append(
                (try row.string("flag"), try row.optionalString("month").flatMap(YearMonth.init(iso:))))
        }
        return open
    }

    /// Records a flag or hold raised or cleared (`action`), with its reason; `month` for a raised
    /// `eligibility.changed`, `decisionID` for its clear.
    public static func recordFlag(
        program: String, applicantID: String, flag: String, action: String, reason: String,
        month: YearMonth? = nil, decisionID: Int64? = nil, on connection: Connection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO flag_actions (program, applicant_id, flag, action, reason, month, decision_id) VALUES ($1,
            $2, $3, $4, $5, $6, $7)
            """, program, applicantID, flag, action, reason, month?.description, decisionID)
    }

    /// The admitted applicants of `program` (one when given) with their course, from the
    /// `scholarships` rows; `forUpdate` locks them (a run, a flag or an event waits for the others).
    public static func admitted(
        program: String, applicantID: String? = nil, forUpdate: Bool = false,
        on connection: Connection
    ) async throws -> [(applicantID: String, course: Course)] {
        let sql = """
            SELECT applicant_id, course FROM scholarships WHERE program = $1 AND ($2::text IS NULL OR applicant_id = $2)
            ORDER BY applicant_id
            """ + (forUpdate ? " FOR UPDATE" : "")
        return try await connection.query(sql, program, applicantID).map {
            (try $0.string("applicant_id"), try Course(rawValue: $0.string("course")) ?? .master)
        }
    }

    /// Which of `applicantIDs` have a scholarship in `program`, their rows locked for update
    /// until the transaction on `connection` ends (one statement for a screening job's batch).
    public static func admitted(program: String, among applicantIDs: [String], on connection: Connection) async throws
        -> [String]
    {
        guard !applicantIDs.isEmpty else { return [] }
        return try await connection.query(
            """
            SELECT applicant_id FROM scholarships WHERE program = $1 AND applicant_id = ANY($2::text[])
            ORDER BY applicant_id FOR UPDATE
            """, program, TextArray(applicantIDs)
        ).map { try $0.string("applicant_id") }
    }

    /// The scholarships of `program` (one applicant when given), folded from their events, with
    /// the flags and holds open now.
    public static func folded(
        program: String, applicantID: String? = nil, forUpdate: Bool = false,
        on connection: Connection
    ) async throws -> [Scholarship] {
        let admitted = try await admitted(
            program: program, applicantID: applicantID, forUpdate: forUpdate, on: connection)
        guard !admitted.isEmpty else { return [] }
        let current = try await ProgramStore.program(program, on: connection)
        let definitions = try await definitionsInForce(program: program, applicantID: applicantID, on: connection)
        let events = try await recordedEvents(program: program, applicantID: applicantID, on: connection)
        let flags = try await openFlags(program: program, applicantID: applicantID, on: connection)
        var result: [Scholarship] = []
        for (id, course) in admitted {
            let folded: Scholarship?
            do throws(EventRejection) {
                folded = try LifecycleRules.fold(
                    applicantID: id, course: course, events: events[id] ?? [], program: definitions[id] ?? current)
            } catch {
                throw BursarError.setup("the recorded events of \(id) no longer hold together: \(error.message)")
            }
            guard var s = folded else { continue }
            s.flags = (flags[id] ?? []).map(\.flag).sorted()
            result.append(s)
        }
        return result
    }

    /// The program definition each admitted scholarship of `program` (one applicant when given)
    /// follows — interface §4: "A scholarship's schedule follows the definition version in force
    /// at its `admitted`". In force means recorded (`program_data_versions.changed_at`) no later
    /// than the `admitted` event was submitted; when the admission was recorded before any
    /// version (a program defined after its first events were entered), the first version. A
    /// later import changes new admissions and decisions, never the stipend or the months of a
    /// scholarship that exists (docs/interpretations.md). Applicants without a kept version are
    /// left out: the caller folds them with the current definition.
    public static func definitionsInForce(program: String, applicantID: String?, on connection: Connection)
        async throws -> [String: Program]
    {
        // A pending admission counts too, by the same rule: the lifecycle job judging it folds
        // with the version every later fold will use (an applied one wins over a second, pending).
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (e.applicant_id) e.applicant_id, v.version
            FROM lifecycle_events e
            CROSS JOIN LATERAL (SELECT v.version FROM program_data_versions v
                                WHERE v.program = e.program AND v.kind = 'definition'
                                ORDER BY v.changed_at <= e.submitted_at DESC,
                                         CASE WHEN v.changed_at <= e.submitted_at THEN -v.version ELSE v.version END
                                LIMIT 1) v
            WHERE e.program = $1 AND e.type = 'admitted' AND e.status IN ('applied', 'pending')
              AND ($2::text IS NULL OR e.applicant_id = $2)
            ORDER BY e.applicant_id, e.status = 'applied' DESC, e.seq
            """, program, applicantID)
        var versions: [String: Int] = [:]
        for row in rows { versions[try row.string("applicant_id")] = try row.int("version") }
        let kept = Array(Set(versions.values)).sorted()
        guard !kept.isEmpty else { return [:] }
        var programs: [Int: Program] = [:]
        for row in try await connection.query(
            """
            SELECT version, snapshot FROM program_data_versions
            WHERE program = $1 AND kind = 'definition' AND version = ANY($2::int[])
            """, program, TextArray(kept.map(String.init)))
        {
            let version = try row.int("version")
            do {
                programs[version] = try Program.decode(Data(try row.string("snapshot").utf8))
            } catch {
                throw BursarError.setup(
                    "the kept definition of \(program), version \(version), cannot be read: \(error)")
            }
        }
        return versions.compactMapValues { programs[$0] }
    }

    /// One scholarship, folded (nil when not admitted).
    public static func scholarship(
        program: String, applicantID: String, on connection: Connection,
        forUpdate: Bool = false
    ) async throws -> Scholarship? {
        try await folded(program: program, applicantID: applicantID, forUpdate: forUpdate, on: connection).first
    }

    /// Writes the cache of a scholarship's fold on `connection` (never read as the truth).
    public static func save(_ scholarship: Scholarship, program: String, on connection: Connection) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let state = String(decoding: try encoder.encode(scholarship), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO scholarships (program, applicant_id, course, status, state, updated_at) VALUES ($1, $2, $3, $4,
                $5::jsonb, now())
            ON CONFLICT (program, applicant_id) DO UPDATE SET status = excluded.status, state = excluded.state,
                updated_at = now()
            """, program, scholarship.applicantID, scholarship.course.rawValue, scholarship.status.rawValue,
            JSONText(state))
    }

    /// Every scholarship of `program` (of every program when nil), folded, by program and applicant.
    public static func scholarships(program: String?, on connection: Connection) async throws -> [(
        program: String, scholarship: Scholarship
    )] {
        let programs = try await connection.query(
            """
            SELECT DISTINCT program FROM scholarships WHERE ($1::text IS NULL OR program = $1) ORDER BY program
            """, program
        ).map { try $0.string("program") }
        var all: [(program: String, scholarship: Scholarship)] = []
        for p in programs {
            all += try await folded(program: p, on: connection).map { (p, $0) }
        }
        return all
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
    public static func events(program: String?, applicantID: String?, on connection: Connection) async throws
        -> [StoredEvent]
    {
        try await connection.query(
            """
            SELECT seq, applicant_id, event_id, type, body ->> 'date' AS date,
                   CASE WHEN retracted_by IS NULL THEN status ELSE 'retracted' END AS status,
                   coalesce(message, effect) || coalesce(' (retracted by event ' || retracted_by || ')', '') AS effect
            FROM lifecycle_events
            WHERE ($1::text IS NULL OR program = $1) AND ($2::text IS NULL OR applicant_id = $2) ORDER BY seq
            """, program, applicantID
        ).map {
            StoredEvent(
                seq: try $0.int64("seq"), applicantID: try $0.string("applicant_id"),
                eventID: try $0.optionalString("event_id"),
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
    enum CodingKeys: String, CodingKey {
        case program
        case applicantID = "applicant_id"
    }
}
