import Foundation

/// The embedded default (interface §1, top): with `DATABASE_URL` unset, a private PostgreSQL
/// cluster under `.bursar/` in the current directory, created and started on first use with the
/// system's `initdb`/`pg_ctl`, listening on a Unix socket in that folder only, reused afterwards.
///
/// initdb refuses to run as root, so as root the server runs as the `postgres` user. When that
/// user cannot reach `.bursar/` (a home folder closed to others) or the socket path would be too
/// long for a Unix socket, the cluster lives in a private folder under the system's temporary
/// directory instead, and `.bursar/cluster` names it.
public struct EmbeddedPostgres: Sendable {
    public let folder: URL

    public init(folder: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".bursar")) {
        self.folder = folder.standardizedFileURL
    }

    private var isRoot: Bool { geteuid() == 0 }

    /// Starts the cluster if needed and returns its connection string.
    public func start() throws(BursarError) -> String {
        let bin = try Self.binaries()
        try make(folder, mode: 0o755)
        let lock = open(folder.appendingPathComponent("lock").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw .setup("cannot create \(folder.path)/lock") }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN); close(lock) }

        let home = try clusterHome()
        let data = home.appendingPathComponent("data"), run = home.appendingPathComponent("run"), log = home.appendingPathComponent("log")
        let conninfo = "host=\(run.path) port=5432 dbname=postgres user=bursar"
        if !FileManager.default.fileExists(atPath: data.appendingPathComponent("PG_VERSION").path) {
            try make(run, mode: 0o700, owned: true)
            try make(data, mode: 0o700, owned: true)
            try make(log, mode: 0o755, owned: true)
            try runServerTool(bin.appendingPathComponent("initdb"), ["-D", data.path, "-U", "bursar", "--auth=trust", "-E", "UTF8", "--locale=C"],
                              what: "initializing the embedded PostgreSQL cluster")
            let settings = """

                # Bursar's embedded cluster: Unix socket in \(run.path) only.
                listen_addresses = ''
                unix_socket_directories = '\(run.path)'
                port = 5432
                max_connections = 200
                shared_buffers = 128MB
                # Statistics keep up with a first large batch (the default looks once a minute).
                autovacuum_naptime = 10s
                """
            guard let handle = FileHandle(forWritingAtPath: data.appendingPathComponent("postgresql.conf").path) else {
                throw .setup("cannot write \(data.path)/postgresql.conf")
            }
            handle.seekToEndOfFile()
            handle.write(Data(settings.utf8))
            handle.closeFile()
        }
        if !FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path)
            || (try? runServerTool(bin.appendingPathComponent("pg_ctl"), ["-D", data.path, "status"], what: "")) == nil {
            try runServerTool(bin.appendingPathComponent("pg_ctl"),
                              ["-D", data.path, "-l", log.appendingPathComponent("postgres.log").path, "-w", "-t", "60", "start"],
                              what: "starting the embedded PostgreSQL cluster (log: \(log.path)/postgres.log)")
        }
        return conninfo
    }

    /// Stops the cluster (fast shutdown). Returns false when it was not running.
    @discardableResult
    public func stop() throws(BursarError) -> Bool {
        let bin = try Self.binaries()
        let home = try clusterHome(create: false)
        let data = home.appendingPathComponent("data")
        guard FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) else { return false }
        try runServerTool(bin.appendingPathComponent("pg_ctl"), ["-D", data.path, "-m", "fast", "-w", "stop"], what: "stopping the embedded cluster")
        return true
    }

    /// Where the cluster's files are: `.bursar/` itself, or the folder `.bursar/cluster` names.
    func clusterHome(create: Bool = true) throws(BursarError) -> URL {
        let pointer = folder.appendingPathComponent("cluster")
        if let text = try? String(contentsOf: pointer, encoding: .utf8) {
            return URL(fileURLWithPath: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/PG_VERSION").path) { return folder }
        let socketPath = folder.appendingPathComponent("run/.s.PGSQL.5432").path
        let reachable = !isRoot || serverUserCanReach(folder)
        if reachable && socketPath.utf8.count < 100 { return folder }
        guard create else { return folder }
        let digest = SHA256.hex(Array(folder.path.utf8)).prefix(12)
        let elsewhere = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bursar-\(digest)")
        try make(elsewhere, mode: 0o755)
        do { try elsewhere.path.write(to: pointer, atomically: true, encoding: .utf8) } catch {
            throw .setup("cannot write \(pointer.path): \(error.localizedDescription)")
        }
        return elsewhere
    }

    private func serverUserCanReach(_ url: URL) -> Bool {
        (try? run("/usr/sbin/runuser", ["-u", "postgres", "--", "test", "-x", url.path])) != nil
    }

    private func make(_ url: URL, mode: Int, owned: Bool = false) throws(BursarError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw .setup("cannot create \(url.path): \(error.localizedDescription)")
        }
        if owned && isRoot {
            guard let user = getpwnam("postgres") else {
                throw .setup("running as root needs the 'postgres' system user to own the embedded cluster (apt-get install postgresql creates it)")
            }
            chown(url.path, user.pointee.pw_uid, user.pointee.pw_gid)
        }
    }

    /// Runs initdb/pg_ctl, as `postgres` when we are root.
    @discardableResult
    private func runServerTool(_ tool: URL, _ arguments: [String], what: String) throws(BursarError) -> String {
        if isRoot {
            return try run("/usr/sbin/runuser", ["-u", "postgres", "--", tool.path] + arguments, what: what)
        }
        return try run(tool.path, arguments, what: what)
    }

    /// Runs a program and waits for it, its output in a file. `posix_spawn` rather than
    /// Foundation's `Process`: the server that `pg_ctl start` leaves running must inherit none of
    /// this process's descriptors, or waiting for the tool would never end.
    @discardableResult
    private func run(_ executable: String, _ arguments: [String], what: String = "") throws(BursarError) -> String {
        let outputPath = NSTemporaryDirectory() + "bursar-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        // `env -C /`: the tool starts in / (the server user may not be allowed into this directory).
        let argv = ["/usr/bin/env", "-C", "/", executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status: Int32 = withCStringArray(argv) { cArgs in
            withCStringArray(envp) { cEnv in posix_spawn(&pid, "/usr/bin/env", &actions, nil, cArgs, cEnv) }
        }
        guard status == 0 else {
            throw .setup("\(what.isEmpty ? "running \(executable)" : what) failed: \(String(cString: strerror(status)))")
        }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (exitStatus & 0x7f) == 0
        let code = (exitStatus >> 8) & 0xff
        guard exited && code == 0 else {
            throw .setup("\(what.isEmpty ? executable : what) failed (exit \(code)): \(text.suffix(600))")
        }
        return text
    }

    /// The folder holding initdb and pg_ctl.
    static func binaries() throws(BursarError) -> URL {
        var candidates: [String] = []
        if let bindir = try? EmbeddedPostgres(folder: URL(fileURLWithPath: "/")).run("/usr/bin/env", ["pg_config", "--bindir"]) {
            candidates.append(bindir.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        for candidate in candidates {
            let folder = URL(fileURLWithPath: candidate)
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("pg_ctl").path),
               FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("initdb").path) { return folder }
        }
        throw .setup("PostgreSQL's server programs (initdb, pg_ctl) are not installed: install them (Debian: apt-get install postgresql) or set DATABASE_URL to an existing database")
    }
}

/// Runs `body` with a NULL-terminated C array of the strings.
private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
