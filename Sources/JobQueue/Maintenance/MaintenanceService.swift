import Logging
import Postgres

/// One maintenance service (rescuer, scheduler, cleaner): a pass does at most a batch of work.
public protocol MaintenanceService: Sendable {
    /// For logs and test hooks.
    var name: String { get }
    /// The pause between passes.
    var interval: Duration { get }
    /// The most rows one pass handles; a full batch runs the next pass at once.
    var batchLimit: Int { get }
    /// One pass; returns the rows it handled.
    func runOnce() async throws -> Int
}

/// What a loop reports after each pass, for tests that wait for a signal instead of sleeping.
public typealias MaintenanceHook = @Sendable (_ service: String, _ result: Result<Int, Error>) -> Void

/// Runs one service on its own while this process leads: its failures back it off and are
/// said once, and never stop the other services.
struct MaintenanceLoop: Sendable {
    let service: any MaintenanceService
    let elector: Elector
    let clock: any Clock<Duration>
    let logger: Logger
    let hook: MaintenanceHook?

    func run() async {
        let failures = OutageLog(logger: logger, subject: "the maintenance service \(service.name)")
        var backoff = Backoff()
        while !Task.isCancelled {
            if elector.isLeader {
                do {
                    let handled = try await service.runOnce()
                    failures.succeeded()
                    backoff.reset()
                    hook?(service.name, .success(handled))
                    if handled >= service.batchLimit { continue }
                } catch {
                    failures.failed("a pass", error)
                    hook?(service.name, .failure(error))
                    try? await clock.sleep(for: backoff.next(), tolerance: nil)
                    continue
                }
            }
            try? await clock.sleep(for: service.interval, tolerance: nil)
        }
    }
}
