import CLibPQ

/// An error from PostgreSQL or from the client.
///
/// `description` carries the SQLSTATE and the server's message, never the parameter values of
/// the statement, so it can be logged safely.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in broad strokes.
    public enum Kind: Sendable, Equatable {
        /// The connection could not be made or was lost.
        case connection
        /// The server rejected a statement.
        case server
        /// A value could not be decoded into the requested type.
        case decoding
        /// The caller used the client in a way it does not support.
        case usage
    }

    public let kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    /// The server's primary message, or the client's.
    public let message: String
    /// The server's detail line, if any.
    public let detail: String?
    /// The server's hint, if any.
    public let hint: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    /// True for serialization failures and deadlocks, which are safe to retry.
    public var isTransient: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// True when the connection is unusable and must be replaced.
    public var isConnectionLoss: Bool {
        kind == .connection || (sqlState?.hasPrefix("08") ?? false)
            || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }

    /// True for unique-constraint violations.
    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        var text = "PostgreSQL"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    static func from(result: OpaquePointer?, connection: OpaquePointer?) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let result, let raw = PQresultErrorField(result, code) else { return nil }
            return String(cString: raw)
        }
        let state = field(Int32(UInt8(ascii: "C")))
        var message = field(Int32(UInt8(ascii: "M")))
        if message == nil, let connection, let raw = PQerrorMessage(connection) {
            message = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let lost = connection.map { PQstatus($0) != CONNECTION_OK } ?? true
        return PostgresError(
            kind: (state == nil && lost) ? .connection : .server,
            sqlState: state,
            message: message ?? "unknown error",
            detail: field(Int32(UInt8(ascii: "D"))),
            hint: field(Int32(UInt8(ascii: "H")))
        )
    }
}
