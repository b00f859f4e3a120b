import CLibPQ
import Foundation

/// A notification sent with `NOTIFY channel, payload`.
public struct PostgresNotification: Sendable {
    public let channel: String
    public let payload: String
}

/// LISTEN on a dedicated connection, delivered as an `AsyncSequence`.
///
/// The connection lives on a thread of its own that waits on the socket with `poll` in short
/// slices, so the sequence ends within about 50 ms of its consumer being cancelled. A lost
/// connection is re-established and the channels listened to again, backing off from 0.25 s to
/// 5 s while the server is unreachable (a failed attempt frees its connection).
public enum NotificationListener {
    /// Listens to `channels` until the consuming task is cancelled.
    public static func listen(conninfo: String, channels: [String]) -> AsyncStream<PostgresNotification> {
        let (stream, continuation) = AsyncStream<PostgresNotification>.makeStream(
            bufferingPolicy: .bufferingNewest(1024))
        let state = ListenerState()
        continuation.onTermination = { _ in state.stop() }
        let thread = Thread {
            ListenerLoop(conninfo: conninfo, channels: channels, state: state, continuation: continuation).run()
        }
        thread.name = "pg-listen"
        thread.start()
        return stream
    }
}

final class ListenerState: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }
    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }
}

private struct ListenerLoop {
    let conninfo: String
    let channels: [String]
    let state: ListenerState
    let continuation: AsyncStream<PostgresNotification>.Continuation

    func run() {
        var conn: OpaquePointer?
        defer {
            if let conn { PQfinish(conn) }
            continuation.finish()
        }
        var backoff = 5  // slices of 50 ms
        while !state.isStopped {
            if conn == nil || PQstatus(conn) != CONNECTION_OK {
                if let old = conn { PQfinish(old) }
                conn = connect()
                if conn == nil {
                    sleepSlices(backoff)
                    backoff = min(100, backoff * 2)
                    continue
                }
                backoff = 5
            }
            guard let live = conn else { continue }
            var descriptor = pollfd(fd: PQsocket(live), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 50)
            if ready < 0 { continue }
            if PQconsumeInput(live) == 0 {
                PQfinish(live)
                conn = nil
                continue
            }
            while let note = PQnotifies(live) {
                let channel = String(cString: note.pointee.relname)
                let payload = String(cString: note.pointee.extra)
                PQfreemem(note)
                continuation.yield(PostgresNotification(channel: channel, payload: payload))
            }
        }
    }

    /// A connection listening to every channel, or nil (and nothing left open) when that fails.
    private func connect() -> OpaquePointer? {
        guard let conn = Connection.connectBlocking(conninfo) else { return nil }
        guard PQstatus(conn) == CONNECTION_OK else {
            PQfinish(conn)
            return nil
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        for channel in channels {
            // Channel names are identifiers chosen by the program, never user data; quote them anyway.
            let quoted = "\"" + channel.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let result = PQexec(conn, "LISTEN \(quoted)")
            let listening = result.map { PQresultStatus($0) == PGRES_COMMAND_OK } ?? false
            PQclear(result)
            guard listening else {
                PQfinish(conn)
                return nil
            }
        }
        return conn
    }

    private func sleepSlices(_ count: Int) {
        for _ in 0..<count where !state.isStopped { usleep(50_000) }
    }
}
