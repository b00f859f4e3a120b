import Foundation
import Subprocess
import SystemPackage

/// The embedded default (interface §1, top): with `DATABASE_URL` unset, a private PostgreSQL
/// cluster under `.bursar/` in the current directory, created and started on first use with the
/// system's `initdb`/`pg_ctl`, listening on a Unix socket in that folder only, reused afterwards.
///
/// The folder is private: created with mode 0700, refused when another user owns it (someone
/// could read the cluster's files or swap its socket), tightened to 0700 when it is ours but open
/// to others.
///
/// initdb refuses to run as root, so as root the server runs as the `postgres` user, which cannot
/// enter a root-only `.bursar/`; nor can a Unix socket path be longer than about 100 bytes. Then
/// the cluster lives in a folder made with `mkdtemp` (as root under `/var/lib/bursar`, else under
/// the system's temporary directory) — a
/// random name created exclusively, mode 0700, owned by the server's user, so nobody can prepare
/// it in advance — and `.bursar/cluster` names it; a named folder whose owner or mode is not that
/// is refused.
public struct EmbeddedPostgres: Sendable {
    public let folder: URL

    public init(
        folder: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".bursar")
    ) {
        self.folder = folder.standardizedFileURL
    }

    private var isRoot: Bool { geteuid() == 0 }

    /// Starts the cluster if needed and returns its connection string.
    public func start() async throws(BursarError) -> String {
        let bin = try await Self.binaries()
        try makePrivateFolder(folder)
        let lock = open(folder.appendingPathComponent("lock").path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else { throw .setup("cannot create \(folder.path)/lock: \(String(cString: strerror(errno)))") }
        flock(lock, LOCK_EX)
        defer {
            flock(lock, LOCK_UN)
            close(lock)
        }

        let home = try clusterHome()
        let data = home.appendingPathComponent("data")
        let run = home.appendingPathComponent("run")
        let log = home.appendingPathComponent("log")
        // Quoted: a folder name may hold a space, a quote or a backslash.
        let conninfo = "host=\(Self.conninfoValue(run.path)) port=5432 dbname=postgres user=bursar"
        if !FileManager.default.fileExists(atPath: data.appendingPathComponent("PG_VERSION").path) {
            for sub in [run, data, log] { try makeServerFolder(sub) }
            try await runServerTool(
                bin.appendingPathComponent("initdb"),
                ["-D", data.path, "-U", "bursar", "--auth=trust", "-E", "UTF8", "--locale=C"],
                what: "initializing the embedded PostgreSQL cluster")
            let settings = """

                # Bursar's embedded cluster: Unix socket in its run folder only.
                listen_addresses = ''
                unix_socket_directories = \(Self.configurationValue(run.path))
                unix_socket_permissions = 0700
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
        let pgCtl = bin.appendingPathComponent("pg_ctl")
        let running: Bool
        if FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) {
            running = (try? await runServerTool(pgCtl, ["-D", data.path, "status"], what: "")) != nil
        } else {
            running = false
        }
        if !running {
            try await runServerTool(
                pgCtl,
                ["-D", data.path, "-l", log.appendingPathComponent("postgres.log").path, "-w", "-t", "60", "start"],
                what: "starting the embedded PostgreSQL cluster (log: \(log.path)/postgres.log)")
        }
        return conninfo
    }

    /// Stops the cluster (fast shutdown). Returns false when it was not running.
    @discardableResult
    public func stop() async throws(BursarError) -> Bool {
        let bin = try await Self.binaries()
        let home = try clusterHome(create: false)
        let data = home.appendingPathComponent("data")
        guard FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) else {
            return false
        }
        try await runServerTool(
            bin.appendingPathComponent("pg_ctl"), ["-D", data.path, "-m", "fast", "-w", "stop"],
            what: "stopping the embedded cluster")
        return true
    }

    /// Where the cluster's files are: `.bursar/` itself, or the private folder `.bursar/cluster`
    /// names (made now when `create`).
    func clusterHome(create: Bool = true) throws(BursarError) -> URL {
        let pointer = folder.appendingPathComponent("cluster")
        if let text = try? String(contentsOf: pointer, encoding: .utf8) {
            let named = URL(fileURLWithPath: text.trimmingCharacters(in: .whitespacesAndNewlines))
            try checkPrivate(named, owner: try serverUser().uid)
            return named
        }
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/PG_VERSION").path) {
            return folder
        }
        let socketPath = folder.appendingPathComponent("run/.s.PGSQL.5432").path
        if !isRoot && socketPath.utf8.count < 100 { return folder }
        guard create else { return folder }
        let parent = try privateParent()
        var template = Array((parent + "/bursar-XXXXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .setup("cannot create a private folder under \(parent): \(String(cString: strerror(errno)))")
        }
        let elsewhere = URL(fileURLWithPath: String(cString: made)).standardizedFileURL
        let user = try serverUser()
        guard chown(elsewhere.path, user.uid, user.gid) == 0 else {
            throw .setup("cannot hand \(elsewhere.path) to the server's user: \(String(cString: strerror(errno)))")
        }
        do { try elsewhere.path.write(to: pointer, atomically: true, encoding: .utf8) } catch {
            throw .setup("cannot write \(pointer.path): \(error.localizedDescription)")
        }
        return elsewhere
    }

    /// Where a cluster that cannot live in `.bursar/` is made: as root `/var/lib/bursar` (created
    /// 0711, root's: the server's user may pass, nobody may list or plant), never the temporary
    /// directory, which boot cleaning empties; otherwise the temporary directory (a socket path
    /// too long for `.bursar/`).
    private func privateParent() throws(BursarError) -> String {
        guard isRoot else { return NSTemporaryDirectory() }
        let parent = Self.rootParent
        if mkdir(parent, 0o711) != 0 && errno != EEXIST {
            throw .setup(
                """
                as root the embedded cluster lives under \(parent), which cannot be created \
                (\(String(cString: strerror(errno)))); create it (owner root, mode 0711) or set DATABASE_URL
                """)
        }
        var info = stat()
        guard lstat(parent, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == 0,
            info.st_mode & 0o022 == 0
        else {
            throw .setup("\(parent) must be a folder owned by root that only root may write (chmod 0711 \(parent))")
        }
        return parent
    }

    /// The parent of root's embedded clusters.
    static let rootParent = "/var/lib/bursar"

    /// `text` as a libpq connection-string value: single-quoted, `\` and `'` escaped.
    static func conninfoValue(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// `text` as a postgresql.conf string: single-quoted, `'` doubled, `\` escaped.
    static func configurationValue(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The user the server runs as: `postgres` when we are root, else ourselves.
    private func serverUser() throws(BursarError) -> (uid: uid_t, gid: gid_t) {
        guard isRoot else { return (geteuid(), getegid()) }
        guard let user = getpwnam("postgres") else {
            throw .setup(
                "running as root needs the 'postgres' system user to own the embedded cluster (apt-get install "
                    + "postgresql creates it)"
            )
        }
        return (user.pointee.pw_uid, user.pointee.pw_gid)
    }

    /// `.bursar/`: made 0700; refused when another user owns it or it is a symbolic link.
    private func makePrivateFolder(_ url: URL) throws(BursarError) {
        if mkdir(url.path, 0o700) != 0 && errno != EEXIST {
            throw .setup("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .setup("\(url.path) is not a folder (a symbolic link is refused): remove it or run Bursar elsewhere")
        }
        guard info.st_uid == geteuid() else {
            throw .setup(
                "\(url.path) belongs to another user (uid \(info.st_uid)); Bursar keeps its cluster only in a folder "
                    + "of its own user"
            )
        }
        // Ours but open to others: close it (a cluster created in it as root stays reachable by
        // its server user through the group-less path it was made with).
        let legacyRootCluster =
            isRoot && FileManager.default.fileExists(atPath: url.appendingPathComponent("data/PG_VERSION").path)
        if info.st_mode & 0o077 != 0 && !legacyRootCluster {
            chmod(url.path, 0o700)
        }
    }

    /// A folder of the cluster (data, run, log): 0700, owned by the server's user.
    private func makeServerFolder(_ url: URL) throws(BursarError) {
        if mkdir(url.path, 0o700) != 0 && errno != EEXIST {
            throw .setup("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        let user = try serverUser()
        if isRoot { chown(url.path, user.uid, user.gid) }
        try checkPrivate(url, owner: user.uid)
    }

    /// Refuses a folder that is not a directory owned by `owner` with mode 0700.
    private func checkPrivate(_ url: URL, owner: uid_t) throws(BursarError) {
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .setup(
                "the embedded cluster's folder \(url.path) is missing or not a folder: remove \(folder.path)/cluster "
                    + "to start afresh"
            )
        }
        guard info.st_uid == owner, info.st_mode & 0o077 == 0 else {
            throw .setup(
                "the embedded cluster's folder \(url.path) is not private (owner uid \(info.st_uid), mode "
                    + "\(String(info.st_mode & 0o777, radix: 8))); refusing to use it"
            )
        }
    }

    /// Runs initdb/pg_ctl, as `postgres` when we are root.
    @discardableResult
    private func runServerTool(_ tool: URL, _ arguments: [String], what: String) async throws(BursarError) -> String {
        if isRoot {
            return try await Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", tool.path] + arguments, what: what)
        }
        return try await Self.run(tool.path, arguments, what: what)
    }

    /// Runs a program to its end and returns its output (standard error included), through
    /// swift-subprocess: the child inherits no descriptor of ours but its standard streams, so the
    /// server that `pg_ctl start` leaves running holds nothing of this process open. The tool
    /// starts in `/` (the server user may not be allowed into the current directory), with the
    /// `PG*` variables removed so that a caller's settings cannot point it elsewhere.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], what: String = "") async throws(BursarError) -> String
    {
        var environment: [Environment.Key: String] = [:]
        for (key, value) in ProcessInfo.processInfo.environment where !key.hasPrefix("PG") {
            environment[Environment.Key(stringLiteral: key)] = value
        }
        environment["LC_ALL"] = "C"
        let label = what.isEmpty ? "running \(executable)" : what
        let ended: (succeeded: Bool, status: String, text: String)
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments),
                environment: .custom(environment), workingDirectory: FilePath("/"),
                output: .string(limit: 1 << 20), error: .combinedWithOutput)
            ended = (result.terminationStatus.isSuccess, "\(result.terminationStatus)", result.standardOutput)
        } catch {
            throw .setup("\(label) failed: \(error)")
        }
        guard ended.succeeded else {
            throw .setup("\(label) failed (\(ended.status)): \(ended.text.suffix(600))")
        }
        return ended.text
    }

    /// The folder holding initdb and pg_ctl.
    static func binaries() async throws(BursarError) -> URL {
        var candidates: [String] = []
        if let bindir = try? await run("/usr/bin/env", ["pg_config", "--bindir"]) {
            candidates.append(bindir.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        for candidate in candidates {
            let folder = URL(fileURLWithPath: candidate)
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("pg_ctl").path),
                FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("initdb").path)
            {
                return folder
            }
        }
        throw .setup(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed: install them (Debian: apt-get install "
                + "postgresql) or set DATABASE_URL to an existing database"
        )
    }
}
