import CLibPQ
import Foundation

/// One PostgreSQL connection over libpq.
///
/// The actor runs on a ``ThreadExecutor`` of its own, so every blocking libpq call happens on a
/// dedicated OS thread and never on Swift's cooperative pool. Statements are always sent with
/// parameters (`PQexecParams`/`PQexecPrepared`); a statement's text is prepared once per
/// connection and reused.
///
/// A statement in progress is cancelled on the server (`PQcancel`) when the task awaiting it is
/// cancelled, and runs under the task's ``QueryLimits/statementTimeout`` when one is set.
public actor Connection {
    private let executor: ThreadExecutor
    /// The libpq connection, freed when the actor is (or at ``close()``).
    private let owned = OwnedConnection()
    private var handle: OpaquePointer? {
        get { owned.pointer }
        set { owned.pointer = newValue }
    }
    private var prepared: [String: String] = [:]
    /// The server's cancel key for this backend, usable from any thread.
    private nonisolated let canceller = QueryCanceller()
    /// The `statement_timeout` in force on the server session; nil when unknown (a rolled-back
    /// `SET` reverts, so any failure or rollback forgets it).
    private var sessionStatementTimeout: Duration??
    /// Work waiting for the open transaction to commit (``afterCommit(_:)``); dropped when it
    /// ends any other way.
    private var commitHooks: [@Sendable () -> Void] = []
    /// Where this connection goes, without credentials (for messages).
    public nonisolated let target: String

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(target: String) {
        self.executor = ThreadExecutor(name: "pg:\(target)")
        self.target = target
    }

    /// Connects with a libpq connection string or URI (`DATABASE_URL`).
    ///
    /// A failure names the host or socket and quotes the server's message; the password is never
    /// part of it.
    public static func connect(_ conninfo: String) async throws -> Connection {
        try await connect(conninfo, overriding: [])
    }

    /// Connects with `conninfo` and then `overrides` (libpq keywords such as `user`, `password`,
    /// `options`), which win over the same keywords in `conninfo`: the officers' console signs in
    /// as an officer, or sets the officer's role, on the host and database of `DATABASE_URL`.
    public static func connect(_ conninfo: String, overriding overrides: [(String, String)]) async throws
        -> Connection
    {
        let connection = Connection(target: ConnectionTarget.describe(conninfo))
        try await connection.open(conninfo, overrides: overrides)
        return connection
    }

    /// True when the server asked for a password and libpq sent one (`PQconnectionUsedPassword`):
    /// false under `trust` authentication, where any password would be accepted.
    public func usedPassword() -> Bool {
        guard let handle else { return false }
        return PQconnectionUsedPassword(handle) == 1
    }

    deinit {
        canceller.forget()
        executor.shutdown()
    }

    /// Options every connection gets unless the connection string sets them: a bounded connect,
    /// and TCP keepalives so a server that vanished without closing the socket is noticed in
    /// about a minute instead of never.
    static let defaultOptions: [(String, String)] = [
        ("connect_timeout", "10"),
        ("keepalives", "1"),
        ("keepalives_idle", "30"),
        ("keepalives_interval", "10"),
        ("keepalives_count", "3"),
        ("tcp_user_timeout", "60000"),
    ]

    /// Connects with `conninfo` after the defaults: later entries win, so the caller's own
    /// settings override ours (`expand_dbname` reads `conninfo` as a whole connection string).
    static func connectBlocking(_ conninfo: String, overrides: [(String, String)] = []) -> OpaquePointer? {
        let pairs = defaultOptions + [("dbname", conninfo)] + overrides
        let keys = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keyPointers = keys.map { $0.map { UnsafePointer($0) } }
        let valuePointers = values.map { $0.map { UnsafePointer($0) } }
        return PQconnectdbParams(keyPointers, valuePointers, 1)
    }

    private func open(_ conninfo: String, overrides: [(String, String)]) throws {
        let conn = Connection.connectBlocking(conninfo, overrides: overrides)
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            var message = conn.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
            // libpq may quote the password token of a malformed URL.
            message = ConnectionTarget.scrub(
                message.trimmingCharacters(in: .whitespacesAndNewlines),
                conninfo: conninfo)
            if let conn { PQfinish(conn) }
            throw PostgresError(
                kind: .connection,
                message: "cannot connect to PostgreSQL at \(target): \(message)",
                hint: "check DATABASE_URL, or unset it to use the embedded cluster under .bursar/")
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
        canceller.attach(conn)
        sessionStatementTimeout = .some(nil)
        _ = try runSimple("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3")
    }

    /// Closes the connection; later calls fail with a connection error at once. (The thread
    /// stays until the actor is released, so a late call fails instead of waiting forever on
    /// a thread that has gone.)
    public func close() {
        canceller.forget()
        commitHooks.removeAll()
        if let handle { PQfinish(handle) }
        handle = nil
        prepared.removeAll()
    }

    /// True when the connection is open, its socket has not been closed by the server, and no
    /// transaction is left open.
    public func isHealthy() -> Bool {
        guard let handle else { return false }
        // A server that went away left its goodbye and then end-of-file on the socket: read
        // while the socket is readable, so both are seen now rather than by the next query.
        for _ in 0..<4 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK { return false }
            if descriptor.revents & Int16(POLLHUP | POLLERR) != 0 { return false }
        }
        while let note = PQnotifies(handle) { PQfreemem(note) }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// True while a transaction block is open (or failed and not yet rolled back).
    public func inTransaction() -> Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs `hook` once the open transaction commits, or now when no transaction is open (the
    /// statement before it committed by itself). A rollback, a failed `COMMIT` or a lost
    /// connection drops it: work counted done only when its transaction is.
    public func afterCommit(_ hook: @escaping @Sendable () -> Void) {
        guard inTransaction() else {
            hook()
            return
        }
        commitHooks.append(hook)
    }

    /// After each statement: once no transaction is open, the waiting hooks run if it ended by a
    /// successful `COMMIT` and are dropped otherwise (`COMMIT` of a failed transaction answers
    /// `ROLLBACK`).
    private func settleCommitHooks(committed: Bool) {
        guard !commitHooks.isEmpty, !inTransaction() else { return }
        let hooks = commitHooks
        commitHooks.removeAll()
        guard committed else { return }
        for hook in hooks { hook() }
    }

    private func live() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(kind: .connection, message: "the connection to \(target) is closed")
        }
        return handle
    }

    /// Runs one parameterized statement and returns its rows.
    @discardableResult
    public nonisolated func query(_ sql: String, _ parameters: [any PostgresBindable] = []) async throws -> PostgresRows
    {
        let texts = parameters.map { $0.postgresText }
        let limit = QueryLimits.statementTimeout
        return try await cancellable { try await self.runQuery(sql, texts, limit: limit) }
    }

    /// Runs one parameterized statement; variadic form.
    @discardableResult
    public nonisolated func query(_ sql: String, _ parameters: any PostgresBindable...) async throws -> PostgresRows {
        try await query(sql, parameters)
    }

    /// Runs SQL text without parameters, possibly several statements (migrations, `BEGIN`).
    /// Never pass user data here: it has no parameters by design.
    @discardableResult
    public nonisolated func simpleQuery(_ sql: String) async throws -> PostgresRows {
        try await cancellable { try await self.runSimple(sql) }
    }

    /// Sends a cancel request for the statement in progress when the awaiting task is cancelled.
    private nonisolated func cancellable<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let canceller = self.canceller
        return try await withTaskCancellationHandler(operation: body, onCancel: { canceller.cancelRunning() })
    }

    private func runQuery(_ sql: String, _ texts: [String?], limit: Duration?) throws -> PostgresRows {
        let conn = try live()
        // Cancellable from the first round trip: preparing a statement can wait as long as
        // running it (parsing an INSERT takes a lock on its table — found with a table locked
        // by hand: `jobs cancel` could not stop a job blocked in `PQprepare`).
        canceller.begin()
        defer { canceller.end() }
        try applyStatementTimeout(limit, on: conn)
        let statement = try preparedName(for: sql, parameterCount: texts.count, on: conn)
        let result: OpaquePointer? = withCStrings(texts) { pointers in
            PQexecPrepared(conn, statement, Int32(pointers.count), pointers, nil, nil, 0)
        }
        return try consume(result, on: conn)
    }

    private func runSimple(_ sql: String) throws -> PostgresRows {
        let conn = try live()
        if sql.hasPrefix("ROLLBACK") { sessionStatementTimeout = nil }
        canceller.begin()
        let result = PQexec(conn, sql)
        canceller.end()
        return try consume(result, on: conn)
    }

    /// Sets the session's `statement_timeout` to the task's limit when it differs from what the
    /// session has (one round trip only on a change; no limit means the server's default).
    private func applyStatementTimeout(_ limit: Duration?, on conn: OpaquePointer) throws {
        if let current = sessionStatementTimeout, current == limit { return }
        let milliseconds = limit.map { max(1, Int($0 / .milliseconds(1))) }
        // An integer computed here, not user data.
        let sql = milliseconds.map { "SET statement_timeout = \($0)" } ?? "RESET statement_timeout"
        _ = try consume(PQexec(conn, sql), on: conn)
        sessionStatementTimeout = .some(limit)
    }

    private func preparedName(for sql: String, parameterCount: Int, on conn: OpaquePointer) throws -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count)"
        let result = PQprepare(conn, name, sql, Int32(parameterCount), nil)
        _ = try consume(result, on: conn)
        prepared[sql] = name
        return name
    }

    private func consume(_ result: OpaquePointer?, on conn: OpaquePointer) throws -> PostgresRows {
        defer { if let result { PQclear(result) } }
        guard let result else { throw lost(conn) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            let fieldCount = Int(PQnfields(result))
            let rowCount = Int(PQntuples(result))
            var columns: [String] = []
            columns.reserveCapacity(fieldCount)
            for f in 0..<fieldCount { columns.append(String(cString: PQfname(result, Int32(f)))) }
            var rows: [[String?]] = []
            rows.reserveCapacity(rowCount)
            for r in 0..<rowCount {
                var row: [String?] = []
                row.reserveCapacity(fieldCount)
                for f in 0..<fieldCount {
                    if PQgetisnull(result, Int32(r), Int32(f)) == 1 {
                        row.append(nil)
                    } else {
                        row.append(String(cString: PQgetvalue(result, Int32(r), Int32(f))))
                    }
                }
                rows.append(row)
            }
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            settleCommitHooks(committed: String(cString: PQcmdStatus(result)) == "COMMIT")
            return PostgresRows(columns: columns, values: rows, affectedRows: affected)
        default:
            sessionStatementTimeout = nil
            let error = PostgresError.from(result: result, connection: conn)
            if error.isConnectionLoss { dropHandle() }
            settleCommitHooks(committed: false)
            throw error
        }
    }

    private func lost(_ conn: OpaquePointer) -> PostgresError {
        sessionStatementTimeout = nil
        commitHooks.removeAll()
        let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
        dropHandle()
        return PostgresError(kind: .connection, message: "lost the connection to \(target): \(message)")
    }

    private func dropHandle() {
        if let handle, PQstatus(handle) != CONNECTION_OK {
            canceller.forget()
            PQfinish(handle)
            self.handle = nil
            prepared.removeAll()
        }
    }

    /// Loads rows with `COPY … FROM STDIN` (text format). Each row holds one value per column,
    /// nil for NULL. Returns the number of rows copied.
    @discardableResult
    public nonisolated func copyIn(_ copyStatement: String, rows: [[String?]]) async throws -> Int {
        try await cancellable { try await self.runCopyIn(copyStatement, rows: rows) }
    }

    private func runCopyIn(_ copyStatement: String, rows: [[String?]]) throws -> Int {
        let conn = try live()
        // Cancellable throughout: starting COPY takes the table's lock and may wait for it.
        canceller.begin()
        defer { canceller.end() }
        let start = PQexec(conn, copyStatement)
        let status = start.map { PQresultStatus($0) }
        if status != PGRES_COPY_IN {
            _ = try consume(start, on: conn)
            throw PostgresError(kind: .usage, message: "the statement did not start COPY FROM STDIN")
        }
        PQclear(start)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func flush() throws {
            guard !buffer.isEmpty else { return }
            let sent = buffer.withUnsafeBufferPointer { raw in
                raw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: raw.count) {
                    PQputCopyData(conn, $0, Int32(raw.count))
                }
            }
            if sent != 1 { throw lost(conn) }
            buffer.removeAll(keepingCapacity: true)
        }
        for row in rows {
            CopyText.append(row, to: &buffer)
            if buffer.count >= 1 << 16 { try flush() }
        }
        try flush()
        if PQputCopyEnd(conn, nil) != 1 { throw lost(conn) }
        var copied = 0
        while let result = PQgetResult(conn) {
            let rows = try consume(result, on: conn)
            copied += rows.affectedRows
        }
        return copied
    }
}

/// Owns a `PGconn`: a connection dropped without ``Connection/close()`` is still finished.
/// Touched only on its connection's thread.
private final class OwnedConnection: @unchecked Sendable {
    var pointer: OpaquePointer?
    deinit { if let pointer { PQfinish(pointer) } }
}

/// Text-format COPY escaping.
enum CopyText {
    static func append(_ row: [String?], to buffer: inout [UInt8]) {
        for (i, value) in row.enumerated() {
            if i > 0 { buffer.append(9) }
            guard let value else {
                buffer.append(contentsOf: [92, 78])
                continue
            }  // \N
            buffer.appendEscaped(value, isSpecial: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) { byte, out in
                switch byte {
                case 92: out += [92, 92]
                case 9: out += [92, 116]
                case 10: out += [92, 110]
                default: out += [92, 114]
                }
            }
        }
        buffer.append(10)
    }
}

/// Converts optional Swift strings to C strings that live for the duration of `body`.
func withCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let owned: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0) } }
    defer { for pointer in owned { free(pointer) } }
    return body(owned.map { $0.map { UnsafePointer($0) } })
}
