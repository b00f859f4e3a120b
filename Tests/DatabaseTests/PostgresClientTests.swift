import Foundation
import Postgres
import XCTest

/// The libpq client against a real PostgreSQL.
final class PostgresClientTests: XCTestCase {
    func testParametersRoundTrip() async throws {
        let connection = try await Connection.connect(try await TestDatabase.create())
        let text = "東京都立大学 — Ünïcödé 🎓🇯🇵"
        let bytes = Bytea([0, 1, 0, 255, 0, 42])
        let bigJSON =
            "{\"items\": [" + (0..<20_000).map { "{\"n\": \($0), \"s\": \"値\($0)\"}" }.joined(separator: ",") + "]}"
        let exact = "12345678901234567890.123456789"
        let row = try await connection.query(
            "SELECT $1::text AS t, $2::text AS n, $3::bytea AS b, $4::jsonb AS j, $5::numeric AS d, $6::int AS i, "
                + "$7::bool AS f, $8::date AS day, $9::bigint AS big",
            text, Optional<String>.none, bytes, JSONText(bigJSON), exact, 42, true, "2026-04-01", Int64.max
        ).first!
        XCTAssertEqual(try row.string("t"), text)
        XCTAssertTrue(try row.isNull("n"))
        XCTAssertEqual(try row.bytea("b"), bytes.bytes)
        XCTAssertEqual(try row.json("j")?.count ?? 0 > 400_000, true)
        XCTAssertEqual(try row.decimal("d"), Decimal(string: exact))
        XCTAssertEqual(try row.string("d"), exact, "numeric keeps every digit")
        XCTAssertEqual(try row.int("i"), 42)
        XCTAssertEqual(try row.bool("f"), true)
        XCTAssertEqual(try row.date("day"), PostgresDate(year: 2026, month: 4, day: 1))
        XCTAssertEqual(try row.int64("big"), Int64.max)
        let elements: [String?] = [
            "a,b", "c\"d", nil, "é", "back\\slash\\\"", "{braces}", "", "NULL", " spaced ", "🎓\n\ttab",
            String(repeating: "{\"k\": \"v\\\"\"}", count: 600),
        ]
        let arrays = try await connection.query(
            "SELECT $1::text[] AS a, array_length($1::text[], 1) AS n", TextArray(elements)
        ).first!
        XCTAssertEqual(try arrays.array("a"), elements, "the array literal is written and read back byte for byte")
        XCTAssertEqual(try arrays.int("n"), elements.count)
        // The server's own spelling of an array (unquoted where it can) reads back too.
        let server = try await connection.query("SELECT ARRAY['plain', 'NULL', '', 'a b', 'q\"', 'b\\s', NULL] AS a")
            .first!
        XCTAssertEqual(try server.array("a"), ["plain", "NULL", "", "a b", "q\"", "b\\s", nil])
        await connection.close()
    }

    func testInjectionTextStaysData() async throws {
        let connection = try await Connection.connect(try await TestDatabase.create())
        try await connection.simpleQuery("CREATE TABLE t (name text)")
        let evil = "x'); DROP TABLE t; --"
        try await connection.query("INSERT INTO t (name) VALUES ($1)", evil)
        let rows = try await connection.query("SELECT name FROM t WHERE name = $1", evil)
        XCTAssertEqual(try rows.first?.string("name"), evil)
        let value1 = try await connection.query("SELECT count(*)::int AS n FROM t").first!.int("n")
        XCTAssertEqual(value1, 1)
        await connection.close()
    }

    func testTransactionRollsBackOnThrow() async throws {
        let connection = try await Connection.connect(try await TestDatabase.create())
        try await connection.simpleQuery("CREATE TABLE t (n int)")
        struct Boom: Error {}
        do {
            try await connection.withTransaction { conn in
                try await conn.query("INSERT INTO t VALUES (1)")
                throw Boom()
            }
            XCTFail("the error must propagate")
        } catch is Boom {}
        let value2 = try await connection.query("SELECT count(*)::int AS n FROM t").first!.int("n")
        XCTAssertEqual(value2, 0)
        let value3 = await connection.inTransaction()
        XCTAssertFalse(value3)
        await connection.close()
    }

    func testSerializationFailuresAreRetried() async throws {
        let url = try await TestDatabase.create()
        let setup = try await Connection.connect(url)
        try await setup.simpleQuery("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)")
        let a = try await Connection.connect(url)
        let b = try await Connection.connect(url)
        let attempts = AttemptCounter()
        // Two serializable transactions read then write the same row at once: one must fail with
        // 40001 and be run again by withTransaction.
        async let first: Void = a.withTransaction(isolation: .serializable) { conn in
            await attempts.increment()
            let n = try await conn.query("SELECT n FROM counter").first!.int("n")
            try await Task.sleep(nanoseconds: 200_000_000)
            try await conn.query("UPDATE counter SET n = $1", n + 1)
        }
        async let second: Void = b.withTransaction(isolation: .serializable) { conn in
            await attempts.increment()
            let n = try await conn.query("SELECT n FROM counter").first!.int("n")
            try await Task.sleep(nanoseconds: 200_000_000)
            try await conn.query("UPDATE counter SET n = $1", n + 1)
        }
        _ = try await (first, second)
        let value4 = try await setup.query("SELECT n FROM counter").first!.int("n")
        XCTAssertEqual(value4, 2, "both increments land")
        let total = await attempts.value
        XCTAssertGreaterThan(total, 2, "one transaction was retried")
    }

    func testNotifyReachesListenerWithin100msAndListenerEndsOnCancellation() async throws {
        let url = try await TestDatabase.create()
        let sender = try await Connection.connect(url)
        let received = Date.Box()
        let listener = Task {
            for await note in NotificationListener.listen(conninfo: url, channels: ["bursar_test"])
            where note.payload == "ping" {
                received.set(Date())
            }
            return Date()
        }
        try await Task.sleep(nanoseconds: 500_000_000)  // LISTEN is in place
        let sent = Date()
        try await sender.query("SELECT pg_notify('bursar_test', 'ping')")
        let arrived = try await TestDatabase.eventually(2, every: 0.005) { received.get() != nil }
        XCTAssertTrue(arrived)
        let latency = received.get()!.timeIntervalSince(sent)
        XCTAssertLessThan(latency, 0.1, "NOTIFY reached the listener in \(latency * 1000) ms")
        let cancelled = Date()
        listener.cancel()
        let ended = await listener.value
        XCTAssertLessThan(ended.timeIntervalSince(cancelled), 0.5, "the sequence ends promptly on cancellation")
    }

    func testCopyLoads100000Rows() async throws {
        let connection = try await Connection.connect(try await TestDatabase.create())
        try await connection.simpleQuery("CREATE TABLE c (id int, name text, note text)")
        let rows: [[String?]] = (0..<100_000).map { [String($0), "name \($0)\t\\with tab", $0 % 10 == 0 ? nil : "n"] }
        let copied = try await connection.copyIn("COPY c (id, name, note) FROM STDIN", rows: rows)
        XCTAssertEqual(copied, 100_000)
        let check = try await connection.query(
            "SELECT count(*)::int AS n, count(note)::int AS notes, max(name) FILTER (WHERE id = 7) AS seven FROM c"
        ).first!
        XCTAssertEqual(try check.int("n"), 100_000)
        XCTAssertEqual(try check.int("notes"), 90_000)
        XCTAssertEqual(try check.string("seven"), "name 7\t\\with tab")
    }

    func testPoolServes64TasksThrough4Connections() async throws {
        let pool = ConnectionPool(conninfo: try await TestDatabase.create(), size: 4)
        let sum = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask {
                    try await pool.withConnection {
                        try await $0.query("SELECT $1::int AS v, pg_sleep(0.01)", i).first!.int("v")
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        XCTAssertEqual(sum, (0..<64).reduce(0, +))
        let backends = try await pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()")
                .first!.int("n")
        }
        XCTAssertLessThanOrEqual(backends, 4)
        await pool.shutdown()
    }

    func testPoolRecoversAfterServerRestart() async throws {
        let pool = ConnectionPool(conninfo: try await TestDatabase.create(), size: 2)
        let value5 = try await pool.withConnection { try await $0.query("SELECT 1 AS one").first!.int("one") }
        XCTAssertEqual(value5, 1)
        try TestDatabase.restartServer()
        let value = try await pool.withConnection { try await $0.query("SELECT 2 AS two").first!.int("two") }
        XCTAssertEqual(value, 2, "the next query after a restart succeeds")
        await pool.shutdown()
    }

    /// While 8 connections sit in a 1-second pg_sleep, 200 small unrelated tasks still finish
    /// within 100 ms: blocking libpq calls run on the connections' own threads.
    func testBlockingCallsDoNotStarveTheCooperativePool() async throws {
        let url = try await TestDatabase.create()
        var connections: [Connection] = []
        for _ in 0..<8 { connections.append(try await Connection.connect(url)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in connections { group.addTask { try await connection.query("SELECT pg_sleep(1)") } }
            try await Task.sleep(nanoseconds: 100_000_000)  // the sleeps have started
            let start = Date()
            await withTaskGroup(of: Int.self) { small in
                for i in 0..<200 { small.addTask { (0..<100).reduce(i, +) } }
                for await _ in small {}
            }
            let elapsed = Date().timeIntervalSince(start)
            XCTAssertLessThan(elapsed, 0.1, "200 small tasks took \(elapsed * 1000) ms")
            try await group.waitForAll()
        }
    }
}

actor AttemptCounter {
    var value = 0
    func increment() { value += 1 }
}

extension Date {
    /// A thread-safe optional date.
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Date?
        func set(_ date: Date) {
            lock.lock()
            if value == nil { value = date }
            lock.unlock()
        }
        func get() -> Date? {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }
}
