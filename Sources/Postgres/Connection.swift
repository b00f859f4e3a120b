import CLibPQ
import Foundation

/// One PostgreSQL connection over libpq.
///
/// The actor runs on a ``ThreadExecutor`` of its own, so every blocking libpq call happens on a
/// dedicated OS thread and never on Swift's cooperative pool. Statements are always sent with
/// parameters (`PQexecParams`/`PQexecPrepared`); a statement's text is prepared once per
/// connection and reused.
public actor Connection {
    private let executor: ThreadExecutor
    private var handle: OpaquePointer?
    private var prepared: [String: String] = [:]
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
        let connection = Connection(target: ConnectionTarget.describe(conninfo))
        try await connection.open(conninfo)
        return connection
    }

    private func open(_ conninfo: String) throws {
        let conn = PQconnectdb(conninfo)
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            var message = conn.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
            message = message.trimmingCharacters(in: .whitespacesAndNewlines)
            if let conn { PQfinish(conn) }
            executor.shutdown()
            throw PostgresError(
                kind: .connection,
                message: "cannot connect to PostgreSQL at \(target): \(message)",
                hint: "check DATABASE_URL, or unset it to use the embedded cluster under .bursar/")
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
        _ = try simpleQuery("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3")
    }

    /// Closes the connection; later calls fail with a connection error.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        prepared.removeAll()
        executor.shutdown()
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

    private func live() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(kind: .connection, message: "the connection to \(target) is closed")
        }
        return handle
    }

    /// Runs one parameterized statement and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresBindable] = []) throws -> PostgresRows {
        let conn = try live()
        let statement = try preparedName(for: sql, parameterCount: parameters.count, on: conn)
        let texts = parameters.map { $0.postgresText }
        let result: OpaquePointer? = withCStrings(texts) { pointers in
            PQexecPrepared(conn, statement, Int32(pointers.count), pointers, nil, nil, 0)
        }
        return try consume(result, on: conn)
    }

    /// Runs one parameterized statement; variadic form.
    @discardableResult
    public func query(_ sql: String, _ parameters: any PostgresBindable...) throws -> PostgresRows {
        try query(sql, parameters)
    }

    /// Runs SQL text without parameters, possibly several statements (migrations, `BEGIN`).
    /// Never pass user data here: it has no parameters by design.
    @discardableResult
    public func simpleQuery(_ sql: String) throws -> PostgresRows {
        let conn = try live()
        return try consume(PQexec(conn, sql), on: conn)
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
            return PostgresRows(columns: columns, values: rows, affectedRows: affected)
        default:
            let error = PostgresError.from(result: result, connection: conn)
            if error.isConnectionLoss { dropHandle() }
            throw error
        }
    }

    private func lost(_ conn: OpaquePointer) -> PostgresError {
        let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
        dropHandle()
        return PostgresError(kind: .connection, message: "lost the connection to \(target): \(message)")
    }

    private func dropHandle() {
        if let handle, PQstatus(handle) != CONNECTION_OK {
            PQfinish(handle)
            self.handle = nil
            prepared.removeAll()
        }
    }

    /// Loads rows with `COPY … FROM STDIN` (text format). Each row holds one value per column,
    /// nil for NULL. Returns the number of rows copied.
    @discardableResult
    public func copyIn(_ copyStatement: String, rows: [[String?]]) throws -> Int {
        let conn = try live()
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

/// Text-format COPY escaping.
enum CopyText {
    static func append(_ row: [String?], to buffer: inout [UInt8]) {
        for (i, value) in row.enumerated() {
            if i > 0 { buffer.append(9) }
            guard let value else { buffer.append(contentsOf: [92, 78]); continue }  // \N
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
