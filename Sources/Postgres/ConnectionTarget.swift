import Foundation

/// Describes where a connection string points — host or socket, port, database — without the
/// password or any other secret, for messages and logs.
public enum ConnectionTarget {
    public static func describe(_ conninfo: String) -> String {
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://"),
            var parts = URLComponents(string: conninfo)
        {
            parts.password = nil
            parts.user = nil
            var host = parts.host ?? ""
            if host.isEmpty, let item = parts.queryItems?.first(where: { $0.name == "host" }) {
                host = item.value ?? ""
            }
            let port = parts.port.map { ":\($0)" } ?? ""
            let db = parts.path.isEmpty ? "" : parts.path
            return "\(host.isEmpty ? "localhost" : host)\(port)\(db)"
        }
        var host = "localhost"
        var port = ""
        var db = ""
        for pair in conninfo.split(separator: " ") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { continue }
            switch kv[0] {
            case "host": host = kv[1]
            case "port": port = ":" + kv[1]
            case "dbname": db = "/" + kv[1]
            default: break
            }
        }
        return host + port + db
    }

    /// `message` (libpq's) without the password of `conninfo`: libpq quotes the token it could not
    /// parse, and in a malformed URI that token may be the password or hold it. Every quoted token
    /// that is part of the password or holds it, and the password itself, become `…`.
    public static func scrub(_ message: String, conninfo: String) -> String {
        guard let secret = password(in: conninfo), !secret.isEmpty else { return message }
        var scrubbed = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "\""),
            let close = rest[rest.index(after: open)...].firstIndex(of: "\"")
        {
            let token = rest[rest.index(after: open)..<close]
            scrubbed += rest[..<open]
            let secretPart = token.count >= 2 && (secret.contains(token) || token.contains(secret))
            scrubbed += secretPart ? "\"…\"" : "\"\(token)\""
            rest = rest[rest.index(after: close)...]
        }
        scrubbed += rest
        return scrubbed.replacingOccurrences(of: secret, with: "…")
    }

    /// The password as written in `conninfo` (a URI's user information after the first `:`, or a
    /// `password` parameter), also when the string is malformed; nil when there is none.
    public static func password(in conninfo: String) -> String? {
        if let range = conninfo.range(of: "password=") {
            let value = conninfo[range.upperBound...].prefix { $0 != " " && $0 != "&" }
            if !value.isEmpty { return String(value) }
        }
        guard let scheme = conninfo.range(of: "://"), let at = conninfo.range(of: "@", options: .backwards),
            scheme.upperBound < at.lowerBound
        else { return nil }
        let userInfo = conninfo[scheme.upperBound..<at.lowerBound]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        let secret = userInfo[userInfo.index(after: colon)...]
        return secret.isEmpty ? nil : String(secret)
    }
}
