/// Whether the service can do its work now (`/readyz`): the application supplies the check.
public enum Readiness: Sendable, Equatable {
    case ready
    /// Not ready, with a reason an operator can act on (no personal data).
    case notReady(String)
}

/// The check behind `/readyz` (for Bursar: the database answers and its schema is current).
public protocol ReadinessCheck: Sendable {
    func check() async -> Readiness
}

/// A readiness check from a closure.
public struct ClosureReadinessCheck: ReadinessCheck {
    private let body: @Sendable () async -> Readiness

    public init(_ body: @escaping @Sendable () async -> Readiness) {
        self.body = body
    }

    public func check() async -> Readiness {
        await body()
    }
}
