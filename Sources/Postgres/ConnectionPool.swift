/// A bounded pool of connections.
///
/// Callers wait in order when every connection is in use, at most ``checkoutTimeout``: a caller
/// that cannot get a connection in that time fails with a connection error rather than waiting
/// forever behind work that never returns its connection. A connection is checked for health
/// when it is handed out (a server restart closes its socket) and replaced when it is broken,
/// so the next caller after a restart gets a working connection.
public actor ConnectionPool {
    private let conninfo: String
    /// The most connections open at once.
    public nonisolated let size: Int
    private var idle: [Connection] = []
    private var openCount = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Connection?, Error>)] = []
    private var nextWaiter = 0
    private var closed = false
    /// How long a caller waits for a free connection before it fails.
    public nonisolated let checkoutTimeout: Duration

    /// Connections handed out now, and callers waiting for one (for metrics).
    public var usage: (inUse: Int, waiting: Int) { (openCount - idle.count, waiters.count) }

    /// libpq keywords applied after `conninfo` on every connection (see ``Connection/connect(_:overriding:)``).
    private let overrides: [(String, String)]

    public init(
        conninfo: String,
        size: Int,
        checkoutTimeout: Duration = .seconds(30),
        overriding overrides: [(String, String)] = []
    ) {
        self.conninfo = conninfo
        self.overrides = overrides
        self.size = max(1, size)
        self.checkoutTimeout = checkoutTimeout
    }

    /// Runs `body` with a connection of the pool and returns the connection afterwards.
    @discardableResult
    public nonisolated func withConnection<T>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = try await checkout()
        do {
            let value = try await body(connection)
            await checkin(connection)
            return value
        } catch {
            await checkin(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction on a pooled connection (see ``Connection/withTransaction``).
    @discardableResult
    public nonisolated func withTransaction<T>(
        isolation: IsolationLevel = .readCommitted,
        _ body: (Connection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.withTransaction(isolation: isolation, body)
        }
    }

    private func checkout() async throws -> Connection {
        while true {
            if closed { throw PostgresError(kind: .usage, message: "the connection pool is shut down") }
            if let connection = idle.popLast() {
                if await connection.isHealthy() { return connection }
                await connection.close()
                openCount -= 1
                continue
            }
            if openCount < size {
                return try await openNew()
            }
            let id = nextWaiter
            nextWaiter += 1
            let limit = checkoutTimeout
            let timer = Task { [weak self] in
                try await Task.sleep(for: limit)
                await self?.timeOutWaiter(id)
            }
            defer { timer.cancel() }
            let handed: Connection? = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        waiters.append((id, continuation))
                    }
                }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
            if let handed { return handed }
            // nil: a slot was freed for this caller; loop to open or reuse one.
        }
    }

    private func openNew() async throws -> Connection {
        openCount += 1
        do {
            return try await Connection.connect(conninfo, overriding: overrides)
        } catch {
            openCount -= 1
            // Callers that queued while this connect was in flight: a slot is free again.
            if !waiters.isEmpty { waiters.removeFirst().continuation.resume(returning: nil) }
            throw error
        }
    }

    private func timeOutWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let seconds = checkoutTimeout.components.seconds
        waiters.remove(at: index).continuation.resume(
            throwing: PostgresError(
                kind: .connection,
                message: "no database connection became free within \(seconds) s (all \(size) in use)",
                hint: "raise the pool size or lower the concurrency"))
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func checkin(_ connection: Connection) async {
        let healthy = await connection.isHealthy()
        if !healthy {
            if await connection.inTransaction() {
                // The caller left a transaction open (it threw mid-way): roll it back.
                _ = try? await connection.simpleQuery("ROLLBACK")
                if await connection.isHealthy() { return handOver(connection) }
            }
            await connection.close()
            openCount -= 1
            if !waiters.isEmpty { waiters.removeFirst().continuation.resume(returning: nil) }
            return
        }
        handOver(connection)
    }

    private func handOver(_ connection: Connection) {
        if closed {
            Task { await connection.close() }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Closes idle connections and refuses new checkouts; connections in use close on return.
    public func shutdown() async {
        closed = true
        for waiter in waiters {
            waiter.continuation.resume(
                throwing: PostgresError(kind: .usage, message: "the connection pool is shut down"))
        }
        waiters.removeAll()
        for connection in idle { await connection.close() }
        openCount -= idle.count
        idle.removeAll()
    }
}
