import Postgres

/// Where a connection string points, without secrets (for logs).
enum ConnectionTargetText {
    static func describe(_ conninfo: String) -> String { ConnectionTarget.describe(conninfo) }
}
