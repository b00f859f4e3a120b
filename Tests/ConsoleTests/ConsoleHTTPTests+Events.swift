import Console
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import Testing

extension ConsoleHTTPTests {
    /// Counts rows on the test database (as the superuser).
    static func count(_ setup: Setup, _ sql: String) async throws -> Int {
        try await setup.database.pool.withConnection { try await $0.query(sql).first!.int("n") }
    }

    /// Recording an event from a case page: refused without CSRF or reason, refused with the
    /// decoder's words and nothing stored when the event is malformed or its id taken; otherwise
    /// stored pending with its lifecycle job, and one audit row with the officer's role and reason.
    /// A retraction names the event by its id and carries the officer's reason as its own.
    @Test func recordAnEventFromTheCasePage() async throws {
        let setup = try await Self.setup()
        let server = try await Self.server(setup)
        let program = try await ProgramStore(database: setup.database).programIDs()[0]
        try await ConsoleSeed.applicants(1, program: program, prefix: "E-", on: setup.database)
        let applicant = "E-000001"
        try await server.application(logger: Logger(label: "test")).test(.live) { client in
            let (cookies, csrf) = try await Self.signIn(client, setup)
            var headers = cookies
            headers[.contentType] = "application/x-www-form-urlencoded"
            let casePage = try await client.execute(uri: "/applicants/\(applicant)", method: .get, headers: cookies)
            let html = String(buffer: casePage.body)
            #expect(html.contains("action=\"/actions/events\""))
            #expect(html.contains("<option>retraction</option>"))
            #expect(html.contains("<option>other_support_applied</option>"))
            func post(_ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: "/actions/events", method: .post, headers: headers, body: Self.form(fields))
            }
            func flash() async throws -> String {
                let page = try await client.execute(uri: "/applicants/\(applicant)", method: .get, headers: cookies)
                let html = String(buffer: page.body)
                guard let start = html.range(of: "id=\"flash\" role=\"status\">")?.upperBound,
                    let end = html[start...].range(of: "</p>")?.lowerBound
                else { return "" }
                return String(html[start..<end])
            }
            let events = "SELECT count(*)::int AS n FROM lifecycle_events"
            let audit = "SELECT count(*)::int AS n FROM audit_log"
            let auditBefore = try await Self.count(setup, audit)
            let arrived = ["applicant": applicant, "type": "arrived", "date": "2026-03-20", "event_id": "c-arr-1"]

            var noToken = arrived
            noToken["reason"] = "arrival card seen"
            #expect(try await post(noToken).status == .forbidden)
            var noReason = arrived
            noReason["csrf"] = csrf
            noReason["reason"] = " "
            #expect(try await post(noReason).status == .badRequest)
            #expect(try await Self.count(setup, events) == 0)

            // Malformed: no date, a GPA of one decimal, an unknown type: the decoder's words, nothing stored.
            let bad: [([String: String], String)] = [
                (["type": "arrived"], "date: is required"),
                (["type": "academic_report", "date": "2026-09-30", "term": "2026-1", "gpa": "2.5"], "gpa"),
                (["type": "graduated", "date": "2026-09-30"], "is not one of"),
                (["type": "termination", "date": "2026-09-30", "termination": "withdrawal"], "credits_completed"),
            ]
            for (fields, words) in bad {
                var form = fields
                form["applicant"] = applicant
                form["csrf"] = csrf
                form["reason"] = "from the registrar"
                #expect(try await post(form).status == .seeOther)
                let message = try await flash()
                #expect(message.contains("not recorded") && message.contains(words), "\(message)")
            }
            #expect(try await Self.count(setup, events) == 0)
            #expect(try await Self.count(setup, audit) == auditBefore)

            // A good one: stored pending, one lifecycle job, one audit row naming the officer.
            var good = arrived
            good["csrf"] = csrf
            good["reason"] = "arrival card seen"
            let done = try await post(good)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/applicants/\(applicant)")
            #expect(try await flash().contains("c-arr-1"))
            #expect(try await Self.count(setup, events) == 1)
            #expect(
                try await Self.count(
                    setup,
                    "SELECT count(*)::int AS n FROM bursar_jobs WHERE kind = 'lifecycle.apply' AND state = 'available'")
                    == 1)
            #expect(try await Self.count(setup, audit) == auditBefore + 1)
            let row = try await setup.database.pool.withConnection {
                try await $0.query(
                    """
                    SELECT db_role, reason, applicant_id, detail->>'type' AS type, detail->>'event_id' AS id
                    FROM audit_log WHERE action = 'event.queued'
                    """
                ).first
            }
            #expect(try row?.string("db_role") == setup.officer)
            #expect(try row?.string("reason") == "arrival card seen")
            #expect(try row?.string("applicant_id") == applicant)
            #expect(try row?.string("type") == "arrived")
            #expect(try row?.string("id") == "c-arr-1")

            // The same id for another event: the Store's message, nothing stored.
            var taken = good
            taken["date"] = "2026-03-21"
            #expect(try await post(taken).status == .seeOther)
            #expect(try await flash().contains("already used"))
            #expect(try await Self.count(setup, events) == 1)
            #expect(try await Self.count(setup, audit) == auditBefore + 1)

            // The case page offers the event to a retraction; the retraction carries the reason.
            let after = String(
                buffer: try await client.execute(uri: "/applicants/\(applicant)", method: .get, headers: cookies).body)
            #expect(after.contains("<option>c-arr-1</option>"))
            #expect(after.contains("c-arr-1 <b>pending</b>"))
            let retraction = [
                "applicant": applicant, "type": "retraction", "retracts": "c-arr-1", "date": "", "csrf": csrf,
                "reason": "recorded for the wrong scholar",
            ]
            #expect(try await post(retraction).status == .seeOther)
            #expect(try await Self.count(setup, events) == 2)
            #expect(try await Self.count(setup, audit) == auditBefore + 2)
            let body = try await setup.database.pool.withConnection {
                try await $0.query(
                    """
                    SELECT body->>'retracts' AS retracts, body->>'reason' AS reason, event_id
                    FROM lifecycle_events WHERE type = 'retraction'
                    """
                ).first
            }
            #expect(try body?.string("retracts") == "c-arr-1")
            #expect(try body?.string("reason") == "recorded for the wrong scholar")
            #expect(try body?.string("event_id").hasPrefix("console-") == true, "a blank event id gets a new one")
        }
        await server.close()
        await setup.database.close()
    }
}
