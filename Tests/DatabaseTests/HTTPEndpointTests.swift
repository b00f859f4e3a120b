import Dispatch
import Foundation
import Postgres
import Store
import Testing

/// Issue 27 findings 4 and 5, through the real `bursard` (as the worker login): idle HTTP
/// connections no longer reach the file descriptors its document checks need, and `/readyz`
/// shares one check on one connection however many ask.
@Suite("HTTP endpoint bounds", .enabled(if: databaseAvailable, "needs scripts/test.sh"))
struct HTTPEndpointTests {
    /// A TCP connection to loopback that sends nothing.
    static func idleConnection(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            return nil
        }
        return fd
    }

    /// `applicant outcome failed-clauses` of every latest decision.
    static func outcomes(_ database: Database) async throws -> [String] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT DISTINCT ON (applicant_id)
                       applicant_id || ' ' || outcome || ' ' || array_to_string(failed, ',') AS d
                FROM decisions ORDER BY applicant_id, id DESC
                """
            ).map { try $0.string("d") }
        }
    }

    @Test("200 idle connections change no decision and bursard keeps working; 300 /readyz hold a few backends")
    func idleConnectionsAndReadiness() async throws {
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample/batch.ndjson")
        // The same batch decided without any HTTP load: what every decision must be.
        let baseline = try await TestDatabase.migrated()
        _ = try TestDatabase.bursar(["submit", sample.path], database: baseline)
        _ = try TestDatabase.bursar(["drain"], database: baseline)
        let expected = try await Self.outcomes(baseline)
        await baseline.close()
        #expect(!expected.isEmpty)

        let database = try await TestDatabase.migrated()
        let logins = try await RealLogins.create(for: database)
        let port = try ServiceAcceptanceTests.freePort()
        // The review's limit: 100 file descriptors for the whole process.
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/bin/sh")
        server.arguments = [
            "-c", "ulimit -n 100 && exec \"$0\" --http-port \(port) --log-level warning",
            TestDatabase.repository.appendingPathComponent(".build/debug/bursard").path,
        ]
        server.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": logins.worker, "BURSAR_HOME": TestDatabase.repository.path,
        ]) { $1 }
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let ready = try await TestDatabase.eventually(60, every: 0.2) {
            ServiceAcceptanceTests.get(port: port, path: "/readyz")?.status == 200
        }
        #expect(ready, "bursard became ready")

        let idle = (0..<200).compactMap { _ in Self.idleConnection(port: port) }
        #expect(idle.count == 200, "every idle connection was made (the listen backlog holds those not accepted)")
        let submitted = try RealLogins.bursar(["submit", sample.path], as: logins.officer)
        #expect(submitted.status == 0, "\(submitted.error)")
        let finished = try await TestDatabase.eventually(180, every: 0.5) {
            try await database.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT count(*)::int AS n FROM bursar_jobs WHERE state NOT IN ('completed')
                    """
                ).first!.int("n") == 0
            }
        }
        #expect(finished, "every job completed while the idle connections were open")
        #expect(try await Self.outcomes(database) == expected, "no decision changed under the idle connections")
        #expect(server.isRunning)
        idle.forEach { close($0) }
        let healthy = try await TestDatabase.eventually(60, every: 0.5) {
            ServiceAcceptanceTests.get(port: port, path: "/healthz")?.status == 200
        }
        #expect(healthy, "bursard answers again once the idle connections are gone")

        // 300 /readyz requests from 32 threads at once: sessions the database saw begin (each
        // backend counts once, at its start) grow by a few at most, not by 300.
        func sessions() async throws -> Int {
            try await database.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT sessions::int AS n FROM pg_stat_database WHERE datname = current_database()
                    """
                ).first!.int("n")
            }
        }
        try await Task.sleep(for: .seconds(2))
        let before = try await sessions()
        let answers = Answers()
        let done = DispatchGroup()
        for lane in 0..<32 {
            done.enter()
            Thread.detachNewThread {
                for _ in 0..<(300 / 32 + (lane < 300 % 32 ? 1 : 0)) {
                    answers.add(ServiceAcceptanceTests.get(port: port, path: "/readyz"))
                }
                done.leave()
            }
        }
        await withCheckedContinuation { continuation in
            done.notify(queue: .global()) { continuation.resume() }
        }
        // Statistics of ended sessions reach the counters within a second.
        try await Task.sleep(for: .seconds(2))
        let after = try await sessions()
        #expect(answers.bodies == ["ready\n": 300], "\(answers.bodies)")
        #expect(after - before <= 3, "sessions of the database: \(before) before 300 /readyz, \(after) after")
        #expect(server.isRunning)
        server.terminate()
        server.waitUntilExit()
        await database.close()
    }

    /// The bodies the burst received, counted.
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var received: [String: Int] = [:]
        private var total = 0

        func add(_ answer: (status: Int, body: String)?) {
            lock.withLock {
                received[answer?.body ?? "no answer", default: 0] += 1
                total += 1
            }
        }

        var count: Int { lock.withLock { total } }
        var bodies: [String: Int] { lock.withLock { received } }
    }
}
