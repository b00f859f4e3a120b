import Benchmarks
import Foundation
import Postgres
import Store
import Testing

@testable import BursarApp

/// Issue 14's acceptance: three `bursard` on one database with their HTTP endpoints. The
/// database is a private embedded cluster (not the shared test server), so stopping it does not
/// disturb the tests running beside this one.
@Suite(.enabled(if: databaseAvailable, "needs scripts/test.sh (PostgreSQL installed)"), .serialized)
struct ServiceAcceptanceTests {
    static let applications = 20_000

    @Test(.timeLimit(.minutes(5)))
    func threeServersDecideEveryApplicationOnceAndReportIt() async throws {
        let home = try Self.privateFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let cluster = EmbeddedPostgres(folder: home.appendingPathComponent("cluster"))
        let conninfo = try await cluster.start()
        defer { Task { try? await cluster.stop() } }
        let database = Database.connect(conninfo: conninfo, home: TestDatabase.repository, poolSize: 4)
        _ = try await database.migrate()
        let batch = try Self.writeBatch(in: home, count: Self.applications)

        let ports = try (0..<3).map { _ in try Self.freePort() }
        let environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": conninfo, "BURSAR_HOME": TestDatabase.repository.path,
        ]) { $1 }
        let servers = try ports.map { port in
            let process = Process()
            process.executableURL = TestDatabase.repository.appendingPathComponent(".build/debug/bursard")
            process.arguments = ["--http-port", String(port), "--http-host", "127.0.0.1", "--log-level", "warning"]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        defer { for server in servers where server.isRunning { server.terminate() } }
        for port in ports {
            let ready = try await TestDatabase.eventually(30, every: 0.2) {
                Self.get(port: port, path: "/readyz")?.status == 200
            }
            #expect(ready, "bursard on \(port) became ready")
            #expect(Self.get(port: port, path: "/healthz")?.status == 200)
        }

        let submitted = try TestDatabase.run(
            [TestDatabase.bursar, "submit", batch.path],
            environment: ["DATABASE_URL": conninfo, "BURSAR_HOME": TestDatabase.repository.path])
        #expect(submitted.status == 0, "\(submitted.error)")
        let finished = try await TestDatabase.eventually(120, every: 0.5) {
            try await database.pool.withConnection { connection in
                try await connection.query("SELECT count(*)::int AS n FROM bursar_jobs WHERE state <> 'completed'")
                    .first!.int("n") == 0
            }
        }
        #expect(finished, "every job completed")
        let decided = try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT (SELECT count(DISTINCT applicant_id)::int FROM decisions) AS decided,
                       (SELECT count(*)::int FROM decisions) AS decisions,
                       (SELECT count(*)::int FROM bursar_jobs WHERE state = 'completed') AS completed,
                       (SELECT coalesce(sum(attempt), 0)::int FROM bursar_jobs) AS attempts
                """
            ).first!
        }
        #expect(try decided.int("decided") == Self.applications, "every application decided")
        #expect(try decided.int("decisions") == Self.applications, "… once")

        // /metrics of each: the processed counts add up to the jobs run.
        var completedByProcesses = 0
        var runsByProcesses = 0
        for port in ports {
            let text = try #require(Self.get(port: port, path: "/metrics")?.body)
            let completed = Self.sum(text, metric: "bursar_jobs_processed_total", where: "outcome=\"completed\"")
            #expect(completed > 0, "bursard on \(port) took part")
            completedByProcesses += completed
            runsByProcesses += Self.sum(text, metric: "bursar_jobs_processed_total", where: "")
            #expect(text.contains("bursar_jobs{"), "jobs by queue and state")
            #expect(text.contains("bursar_pool_connections_in_use"))
            #expect(text.contains("bursar_decisions{"))
            #expect(text.contains("bursar_job_duration_seconds_bucket"))
        }
        #expect(completedByProcesses == (try decided.int("completed")))
        #expect(runsByProcesses == (try decided.int("attempts")))

        // `bursar status` shows the three processes working now.
        let status = try TestDatabase.run(
            [TestDatabase.bursar, "status", "--json"],
            environment: ["DATABASE_URL": conninfo, "BURSAR_HOME": TestDatabase.repository.path])
        let statusJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        let workers = try #require(statusJSON["workers"] as? [[String: Any]])
        #expect(Set(workers.compactMap { $0["pid"] as? Int }) == Set(servers.map { Int($0.processIdentifier) }))

        // /readyz: 503 while the database is stopped, 200 again after it restarts.
        try await cluster.stop()
        for port in ports {
            let down = try await TestDatabase.eventually(20, every: 0.2) {
                Self.get(port: port, path: "/readyz")?.status == 503
            }
            #expect(down, "bursard on \(port) reports not ready while the database is down")
            #expect(Self.get(port: port, path: "/healthz")?.status == 200, "the process is still up")
        }
        _ = try await cluster.start()
        for port in ports {
            let up = try await TestDatabase.eventually(30, every: 0.2) {
                Self.get(port: port, path: "/readyz")?.status == 200
            }
            #expect(up, "bursard on \(port) is ready again")
        }
        for server in servers { server.terminate() }
        for server in servers {
            server.waitUntilExit()
            #expect(server.terminationStatus == 0, "SIGTERM drains and exits 0")
        }
        await database.close()
        try await cluster.stop()
    }

    /// A folder of our own, 0700 (the embedded cluster refuses anything else).
    static func privateFolder() throws -> URL {
        var template = Array((NSTemporaryDirectory() + "/bursar-acceptance-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(.EIO)
        }
        return URL(fileURLWithPath: String(cString: made))
    }

    /// The synthetic batch of `bursar bench pipeline`, with its documents, in `folder`.
    static func writeBatch(in folder: URL, count: Int) throws -> URL {
        let batchFolder = folder.appendingPathComponent("batch")
        try FileManager.default.createDirectory(
            at: batchFolder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        var hashes: [String: String] = [:]
        for type in SyntheticBatch.documentTypes {
            let bytes = Array("%PDF-1.4\n% acceptance \(type)\n".utf8)
            try Data(bytes).write(to: batchFolder.appendingPathComponent("docs/\(type).pdf"))
            hashes[type] = SHA256.hex(bytes)
        }
        let file = batchFolder.appendingPathComponent("batch.ndjson")
        try (SyntheticBatch.records(count: count, hashes: hashes).joined(separator: "\n") + "\n").write(
            to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The sum of a metric's samples whose labels contain `filter`.
    static func sum(_ text: String, metric: String, where filter: String) -> Int {
        var total = 0.0
        for line in text.split(separator: "\n")
        where line.hasPrefix(metric + "{") && (filter.isEmpty || line.contains(filter)) {
            total += Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return Int(total)
    }

    /// A port free on loopback now.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// GET on loopback (one request, the server closes): status and body, nil when nothing listens.
    static func get(port: Int, path: String) -> (status: Int, body: String)? {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return nil }
        defer { close(socketFD) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(socketFD, request, request.count, 0) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(socketFD, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let headerEnd = text.range(of: "\r\n\r\n"),
            let status = Int(text.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return (status, String(text[headerEnd.upperBound...]))
    }
}
