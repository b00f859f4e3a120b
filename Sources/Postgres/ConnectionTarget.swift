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
            if host.isEmpty, let item = parts.queryItems?.first(where: { $0.name == "host" }) { host = item.value ?? "" }
            let port = parts.port.map { ":\($0)" } ?? ""
            let db = parts.path.isEmpty ? "" : parts.path
            return "\(host.isEmpty ? "localhost" : host)\(port)\(db)"
        }
        var host = "localhost", port = "", db = ""
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
}
