import Foundation
import Postgres
import Store
import Testing

/// The JSON form read as exactly one value, unknown members not stored and record values never
/// echoed (issue #26 findings 1 and 6), through the real `bursar` binary on corpus files.
@Suite(
    "Intake: the JSON form whole, unknown fields, no values in messages",
    .enabled(if: ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] != nil))
struct IntakeWholeFileTests {
    static func corpus(_ name: String) -> String { IntakeCorpusTests.corpus.appendingPathComponent(name).path }

    @Test(
        "a JSON-form batch with more after it, a key twice or cut off is refused whole: exit 2, nothing stored",
        arguments: [
            ("json-trailing-text.json", "more after the batch object"),
            ("json-two-objects.json", "more after the batch object"),
            ("json-applications-twice.json", "\"applications\" appears twice"),
            ("json-repeated-key-in-record.json", "record 2 (line 1): the key birth_date appears twice"),
            ("json-cut-off.json", "the file ends"),
        ])
    func jsonFormIsOneValue(file: String, message: String) async throws {
        let database = try await TestDatabase.migrated()
        let run = try IntakeCorpusTests.bursar(["submit", Self.corpus(file)], database: database)
        #expect(run.status == 2, "\(file): \(run.output)\(run.error)")
        #expect(run.error.contains(message), "\(file): \(run.error)")
        #expect(run.error.contains("nothing was stored"), "\(file): \(run.error)")
        #expect(run.output.contains("accepted: 0"), "\(file): \(run.output)")
        #expect(try await IntakeCorpusTests.applicants(database).isEmpty, "\(file)")
        await database.close()
    }

    @Test("a pretty-printed single application is one message, not a hundred malformed lines")
    func prettyPrintedApplication() async throws {
        let database = try await TestDatabase.migrated()
        let run = try IntakeCorpusTests.bursar(["submit", Self.corpus("pretty-printed.json")], database: database)
        #expect(run.status == 2, "\(run.output)\(run.error)")
        #expect(run.error.contains("looks like one JSON object spread over lines"), "\(run.error)")
        #expect(run.error.contains("NDJSON") && run.error.contains("JSON form"), "\(run.error)")
        #expect(!run.output.contains("malformed JSON"), "\(run.output)")
        #expect(try await IntakeCorpusTests.applicants(database).isEmpty)
        await database.close()
    }

    @Test("members the interface does not define are not stored; the summary names each once with its count")
    func unknownFieldsAreNotStored() async throws {
        let database = try await TestDatabase.migrated()
        let run = try IntakeCorpusTests.bursar(["submit", Self.corpus("unknown-fields.ndjson")], database: database)
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("ignored unknown field `passport_number` in 1 record"), "\(run.output)")
        #expect(run.output.contains("ignored unknown field `affiliation.advisor` in 1 record"), "\(run.output)")
        #expect(!run.output.contains("TR1234567") && !run.output.contains("Hidden"), "\(run.output)")
        let stored = try await database.pool.withConnection { connection in
            try await connection.query("SELECT string_agg(content::text, ' ') AS c FROM applications")[0].string("c")
        }
        for absent in ["passport_number", "TR1234567", "advisor", "Prof. Hidden"] {
            #expect(!stored.contains(absent), "\(absent) was stored")
        }
        #expect(stored.contains("Chulalongkorn University"))
        let json = try IntakeCorpusTests.bursar(
            ["submit", Self.corpus("unknown-fields.ndjson"), "--json"],
            database: database)
        #expect(json.output.contains("\"ignored_fields\""), "\(json.output)")
        #expect(json.output.contains("\"unchanged\":2") || json.output.contains("\"unchanged\" : 2"), "\(json.output)")
        await database.close()
    }

    @Test("no rejection repeats a value of the record: a birth date, a course, a level, a document path")
    func messagesNameTheFieldNotItsValue() async throws {
        let database = try await TestDatabase.migrated()
        for arguments in [
            ["submit", Self.corpus("values-not-echoed.ndjson")],
            ["submit", Self.corpus("values-not-echoed.ndjson"), "--json"],
        ] {
            let run = try IntakeCorpusTests.bursar(arguments, database: database)
            #expect(run.status == 3, "\(run.output)\(run.error)")
            let text = run.output + run.error
            #expect(text.contains("is not before application_date"), "\(text)")
            #expect(text.contains("is not one of") && text.contains("is not a JLPT level"), "\(text)")
            #expect(text.contains("must be relative to the batch folder"), "\(text)")
            for value in [
                "2030-01-01", "2025-10-15", "bachelor-secret", "\"N9\"",
                "/etc/secret-path", "Jaidee", "Kritsada",
            ] {
                #expect(!text.contains(value), "\(value) appears in: \(text)")
            }
        }
        await database.close()
    }
}
