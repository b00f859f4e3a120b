import Postgres

/// The counts `bursard`'s metrics endpoint shows of what the service has recorded: decisions by
/// outcome and payments by status (whole-table aggregates, so the endpoint reads them at most
/// every 30 s).
public struct ServiceCounts: Sendable {
    /// Decisions recorded, by outcome, in outcome order.
    public let decisionsByOutcome: [(outcome: String, count: Int)]
    /// Payments recorded, by status, in status order.
    public let paymentsByStatus: [(status: String, count: Int)]

    /// Reads both counts on the caller's connection.
    public static func load(on connection: Connection) async throws -> ServiceCounts {
        let decisions = try await connection.query(
            "SELECT outcome, count(*)::bigint AS n FROM decisions GROUP BY outcome ORDER BY outcome")
        let payments = try await connection.query(
            "SELECT status, count(*)::bigint AS n FROM payments GROUP BY status ORDER BY status")
        return ServiceCounts(
            decisionsByOutcome: try decisions.map { (try $0.string("outcome"), try $0.int("n")) },
            paymentsByStatus: try payments.map { (try $0.string("status"), try $0.int("n")) })
    }
}
