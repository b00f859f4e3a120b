import Foundation
import Postgres
import Store
import XCTest

/// Whether the throwaway cluster of `scripts/test.sh` is there (Swift Testing's `.enabled(if:)`).
let databaseAvailable = !(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] ?? "").isEmpty

/// A fresh database per test case on the throwaway cluster that `scripts/test.sh` starts
/// (`BURSAR_TEST_DATABASE_URL`); tests skip when it is not set.
enum TestDatabase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static let bursar = repository.appendingPathComponent(".build/debug/bursar").path
    /// A bank account for every applicant of the public sample (issue 25).
    static let sampleAccounts = repository.appendingPathComponent("examples/tgp-2026-sample/accounts.csv")

    static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"], !url.isEmpty else {
            throw XCTSkip("BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh")
        }
        return url
    }

    /// Creates an empty database and returns its connection string.
    static func create() async throws -> String {
        let admin = try adminURL()
        let name = "bursar_t_\(UInt32.random(in: 0...UInt32.max))"
        let connection = try await Connection.connect(admin)
        try await connection.simpleQuery("CREATE DATABASE \(name)")  // name is generated here, not user data
        await connection.close()
        var parts = URLComponents(string: admin)!
        parts.path = "/" + name
        return parts.string!
    }

    /// A migrated database with the program data of `db/`.
    static func migrated(poolSize: Int = 16) async throws -> Database {
        let database = Database.connect(conninfo: try await create(), home: repository, poolSize: poolSize)
        _ = try await database.migrate()
        return database
    }

    /// Skips a test that restarts the cluster when this run cannot: called first, before the
    /// test starts worker processes (a skip thrown later left them running).
    @discardableResult
    static func requireServerControl() throws -> (bin: String, data: String) {
        let env = ProcessInfo.processInfo.environment
        guard let bin = env["BURSAR_TEST_PG_BIN"], let data = env["BURSAR_TEST_PG_DATA"] else {
            throw XCTSkip("BURSAR_TEST_PG_BIN/BURSAR_TEST_PG_DATA are not set: run scripts/test.sh")
        }
        return (bin, data)
    }

    /// Restarts the test cluster (`pg_ctl restart`).
    static func restartServer() throws {
        let (bin, data) = try requireServerControl()
        let command = [
            "/usr/bin/env", "-C", "/", bin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "restart", "-l",
            data + "/../postgres.log",
        ]
        let result = try run(geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + command : command)
        XCTAssertEqual(result.status, 0, result.output)
    }

    /// Runs a program to its end and returns its exit status and output. `posix_spawn`, not
    /// Foundation's `Process`: a server that `pg_ctl` leaves running must inherit nothing of ours.
    @discardableResult
    static func run(_ argv: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, output: String, error: String
    ) {
        let out = NSTemporaryDirectory() + "bursar-test-\(UUID().uuidString).out"
        let err = out + ".err"
        defer {
            unlink(out)
            unlink(err)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        let status = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
        return (
            (exit >> 8) & 0xff, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        )
    }

    /// Runs `bursar ARGS` against `database` and returns status and output.
    @discardableResult
    static func bursar(_ arguments: [String], database: Database, directory: String? = nil) throws -> (
        status: Int32, output: String, error: String
    ) {
        try run([bursar] + arguments, environment: ["DATABASE_URL": database.conninfo, "BURSAR_HOME": repository.path])
    }

    /// Starts `bursar ARGS` in the background.
    static func spawn(_ arguments: [String], database: Database) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bursar)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": database.conninfo, "BURSAR_HOME": repository.path,
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls `condition` until it holds or `seconds` pass.
    static func eventually(_ seconds: Double, every interval: Double = 0.1, _ condition: () async throws -> Bool)
        async throws -> Bool
    {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
        return try await condition()
    }
}
