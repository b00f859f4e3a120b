import Foundation
import Postgres
import Store
import Testing

/// The corpus of bad input (`Tests/Corpus/intake`), run through the real `bursar` binary: no
/// crash, no hang (each command returns within seconds), every bad record named with its line,
/// every good one stored (interface §1).
@Suite(
    "Intake corpus through bursar", .enabled(if: ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] != nil)
)
struct IntakeCorpusTests {
    static let corpus = TestDatabase.repository.appendingPathComponent("Tests/Corpus/intake")

    struct Run {
        let status: Int32
        let output: String
        let error: String
        let seconds: Double
    }

    /// A `bursar` process started by ``start(_:database:environment:)``.
    struct Started {
        let pid: pid_t
        let arguments: [String]
        let out: String
        let err: String
        let start: ContinuousClock.Instant
    }

    /// Runs `bursar ARGS` against `database`, killing it when it outlives `limit` seconds (a
    /// hang then fails the test instead of stopping the suite).
    static func bursar(
        _ arguments: [String], database: Database, limit: Double = 20, environment extra: [String: String] = [:]
    ) throws -> Run {
        finish(try start(arguments, database: database, environment: extra), limit: limit)
    }

    /// Starts `bursar ARGS` against `database` without waiting for it.
    static func start(_ arguments: [String], database: Database, environment extra: [String: String] = [:]) throws
        -> Started
    {
        let out = NSTemporaryDirectory() + "bursar-intake-\(UUID().uuidString).out"
        let err = out + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let environment = ProcessInfo.processInfo.environment.merging(
            ["DATABASE_URL": database.conninfo, "BURSAR_HOME": TestDatabase.repository.path].merging(extra) { $1 }
        ) { $1 }
        let argv = [TestDatabase.bursar] + arguments
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        return Started(pid: pid, arguments: arguments, out: out, err: err, start: ContinuousClock.now)
    }

    /// Waits for a started `bursar` (killing it after `limit` seconds) and reads what it printed.
    static func finish(_ started: Started, limit: Double) -> Run {
        defer {
            unlink(started.out)
            unlink(started.err)
        }
        let clock = ContinuousClock()
        var status: Int32 = 0
        while waitpid(started.pid, &status, WNOHANG) == 0 {
            if clock.now - started.start > .seconds(limit) {
                kill(started.pid, SIGKILL)
                _ = waitpid(started.pid, &status, 0)
                Issue.record("bursar \(started.arguments.joined(separator: " ")) did not return within \(limit) s")
                break
            }
            usleep(20_000)
        }
        let elapsed = clock.now - started.start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(
            status: exit, output: (try? String(contentsOfFile: started.out, encoding: .utf8)) ?? "",
            error: (try? String(contentsOfFile: started.err, encoding: .utf8)) ?? "", seconds: seconds)
    }

    static func applicants(_ database: Database) async throws -> [String: Int] {
        try await database.pool.withConnection { connection in
            let rows = try await connection.query("SELECT applicant_id, latest_revision FROM applicants")
            return Dictionary(
                uniqueKeysWithValues: try rows.map { (try $0.string("applicant_id"), try $0.int("latest_revision")) })
        }
    }

    @Test("not a batch file (a folder, a named pipe, a device, /proc/self/mem, nothing): refused, exit 2")
    func notABatchFile() async throws {
        let database = try await TestDatabase.migrated()
        let fifo = NSTemporaryDirectory() + "bursar-fifo-\(UUID().uuidString).ndjson"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let cases: [(String, String)] = [
            (Self.corpus.path, "is a folder"), (fifo, "is a named pipe"), ("/dev/zero", "is a device"),
            ("/proc/self/mem", "cannot read"),
            (Self.corpus.appendingPathComponent("missing.ndjson").path, "cannot read"),
            (Self.corpus.appendingPathComponent("empty.ndjson").path, "holds no records"),
        ]
        for (path, message) in cases {
            let run = try Self.bursar(["submit", path], database: database, limit: 10)
            #expect(run.status == 2, "\(path): \(run.error)")
            #expect(run.error.contains(message), "\(path): \(run.error)")
            #expect(run.seconds < 5, "\(path) took \(run.seconds) s")
        }
        await database.close()
    }

    @Test("bad records are each named with their line; the good ones are stored; a repeated applicant is a warning")
    func mixedBatch() async throws {
        let database = try await TestDatabase.migrated()
        // The corpus file, with a line over 16 MiB added after it (too large to keep in the repository).
        let folder = NSTemporaryDirectory() + "bursar-mixed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bytes = try Data(contentsOf: Self.corpus.appendingPathComponent("mixed.ndjson"))
        bytes.append(Data("{\"applicant_id\": \"X-long\", \"note\": \"".utf8))
        bytes.append(Data(repeating: UInt8(ascii: "x"), count: 16 << 20))
        bytes.append(Data("\"}\n".utf8))
        let good = try String(
            contentsOf: TestDatabase.repository.appendingPathComponent("examples/tgp-2026-sample/batch.ndjson"),
            encoding: .utf8
        )
        .split(separator: "\n")[1]
        bytes.append(Data((good + "\n").utf8))
        let batch = folder + "/batch.ndjson"
        try bytes.write(to: URL(fileURLWithPath: batch))

        let run = try Self.bursar(["submit", batch], database: database)
        #expect(run.status == 3, "\(run.output)\(run.error)")
        let lines = run.output.split(separator: "\n").map(String.init)
        func rejected(_ line: Int) -> String? {
            lines.first {
                $0.hasPrefix("  line \(line):") || $0.hasPrefix("  line \(line) (") || $0.hasPrefix("  line \(line),")
            }
        }
        #expect(rejected(1) == nil, "the byte order mark is ignored: \(run.output)")
        #expect(rejected(2)?.contains("malformed JSON") == true, "\(run.output)")
        #expect(rejected(3)?.contains("UTF-8") == true, "\(run.output)")
        #expect(rejected(4)?.contains("birth_date: the key appears twice") == true, "\(run.output)")
        #expect(rejected(5)?.contains("is out of range") == true && !run.output.contains("1e400"), "\(run.output)")
        #expect(rejected(9)?.contains("object") == true, "\(run.output)")
        let birthDate = rejected(10) ?? ""
        #expect(
            birthDate.contains("birth_date: is not a valid YYYY-MM-DD date")
                && birthDate.contains("citizenships[0]: is not an ISO"), "\(run.output)")
        #expect(
            !run.output.contains("1999-02-30") && !run.output.contains("ZZ"),
            "personal data is not repeated: \(run.output)")
        #expect(rejected(11)?.contains("longer than 16 MiB") == true, "\(run.output)")
        #expect(lines.contains("rejected: 7"), "\(run.output)")
        #expect(lines.contains { $0.contains("line 7 (S-01-base)") && $0.contains("also on line 1") }, "\(run.output)")
        let stored = try await Self.applicants(database)
        #expect(stored == ["S-01-base": 2, "S-07-partner-only": 1, "S-02-too-young": 1])
        await database.close()
    }

    @Test("a one-line {\"applications\": […]} batch reports each record's own error, by its place")
    func oneLineJSONForm() async throws {
        let database = try await TestDatabase.migrated()
        let run = try Self.bursar(
            ["submit", Self.corpus.appendingPathComponent("one-line.json").path], database: database)
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(
            run.output.contains("line 1, record 2 (C-02-bad-grade): transcripts[0].courses[0].grade"), "\(run.output)")
        #expect(!run.output.contains("no \"applications\" array"))
        #expect(try await Self.applicants(database).keys.sorted() == ["C-01-good", "C-03-good"])
        await database.close()
    }

    @Test("an exclusion list without its header is refused without printing anyone's data")
    func exclusionsWithoutHeader() async throws {
        let database = try await TestDatabase.migrated()
        let run = try Self.bursar(
            [
                "exclusions", "import", Self.corpus.appendingPathComponent("exclusions-without-header.csv").path,
                "--program", "tgp-2026",
            ], database: database)
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.error.contains("line 1"))
        for personal in ["LIM", "SEO YEON", "1999-06-06", "KR"] {
            #expect(!(run.output + run.error).contains(personal))
        }
        await database.close()
    }

    @Test("a database that goes away mid-submit: how many were stored, that re-running is safe, no raw FATAL")
    func databaseStoppedMidSubmit() async throws {
        let database = try await TestDatabase.migrated()
        let folder = NSTemporaryDirectory() + "bursar-stop-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let template = try String(
            contentsOf: TestDatabase.repository.appendingPathComponent("examples/tgp-2026-sample/batch.ndjson"),
            encoding: .utf8
        )
        .split(separator: "\n")[0]
        let count = 6_000
        let text =
            (0..<count).map { template.replacingOccurrences(of: "\"S-01-base\"", with: "\"B-\($0)\"") }.joined(
                separator: "\n") + "\n"
        let batch = folder + "/batch.ndjson"
        try text.write(toFile: batch, atomically: true, encoding: .utf8)
        let name = try await database.pool.withConnection {
            try await $0.query("SELECT current_database() AS d")[0].string("d")
        }

        // Once the first chunk is stored, the database refuses new connections and drops the ones it has.
        let stopper = Task {
            let admin = try await Connection.connect(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"]!)
            _ = try await TestDatabase.eventually(20, every: 0.02) {
                let stored = try await admin.query(
                    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", name)[0].int("n")
                guard stored > 1 else { return false }
                let n = try await database.pool.withConnection {
                    try await $0.query("SELECT count(*)::int AS n FROM applicants")[0].int("n")
                }
                return n > 0
            }
            try await admin.query("UPDATE pg_database SET datallowconn = false WHERE datname = $1", name)
            try await admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                name)
            await admin.close()
        }
        let run = try Self.bursar(["submit", batch], database: database, limit: 60)
        try await stopper.value
        #expect(run.status == 1, "\(run.output)\(run.error)")
        #expect(run.error.contains("were stored before it stopped"), "\(run.error)")
        #expect(run.error.contains("Re-running"), "\(run.error)")
        #expect(!run.error.contains("FATAL"), "\(run.error)")

        let admin = try await Connection.connect(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"]!)
        try await admin.query("UPDATE pg_database SET datallowconn = true WHERE datname = $1", name)
        await admin.close()
        let fresh = Database.connect(conninfo: database.conninfo, home: TestDatabase.repository, poolSize: 4)
        let storedBefore = try await Self.applicants(fresh).count
        #expect(storedBefore > 0 && storedBefore < count)
        #expect(run.error.contains("\(storedBefore) of the"), "\(run.error)")
        let again = try Self.bursar(["submit", batch], database: fresh, limit: 120)
        #expect(again.status == 0, "\(again.output)\(again.error)")
        #expect(again.output.contains("accepted: \(count - storedBefore)"), "\(again.output)")
        #expect(again.output.contains("unchanged: \(storedBefore)"), "\(again.output)")
        await fresh.close()
        await database.close()
    }
}
