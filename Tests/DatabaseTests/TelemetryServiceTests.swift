import Foundation
import JobQueue
import Logging
import ServiceLifecycle
import Telemetry
import Testing

/// The HTTP endpoint on its own (no database): `/healthz`, `/readyz` following the check the
/// application supplies, `/metrics` with process counters and gauges read at scrape.
@Suite struct TelemetryServiceTests {
    final class Switch: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Readiness = .notReady("the database does not answer")
        private var scrapes = 0
        var readiness: Readiness {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
        /// One gauge at the first scrape, none after.
        func samples() -> [GaugeSample] {
            lock.withLock {
                scrapes += 1
                return scrapes == 1
                    ? [GaugeSample(name: "test_jobs", labels: [.init("state", "available")], value: 7, help: "test")]
                    : []
            }
        }
    }

    @Test func endpointsFollowTheApplicationsChecks() async throws {
        let control = Switch()
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        MetricsRegistry.shared.bootstrap()
        let service = TelemetryService(
            configuration: .init(host: "127.0.0.1", port: 0),
            readiness: ClosureReadinessCheck { control.readiness },
            gauges: { control.samples() }, logger: Logger(label: "test"),
            onListening: { portSink.yield($0) })
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        #expect(ServiceAcceptanceTests.get(port: port, path: "/healthz")?.status == 200)
        let notReady = ServiceAcceptanceTests.get(port: port, path: "/readyz")
        #expect(notReady?.status == 503)
        #expect(notReady?.body == "not ready\n", "the reason is logged, never sent (issue 27)")
        control.readiness = .ready
        #expect(ServiceAcceptanceTests.get(port: port, path: "/readyz")?.status == 200)

        JobMetrics.finished(kind: "test.kind", outcome: .completed, duration: .milliseconds(3))
        JobMetrics.finished(kind: "test.kind", outcome: .failed, duration: .milliseconds(4))
        let first = try #require(ServiceAcceptanceTests.get(port: port, path: "/metrics")?.body)
        #expect(first.contains(#"test_jobs{state="available"} 7"#))
        #expect(
            ServiceAcceptanceTests.sum(first, metric: "bursar_jobs_processed_total", where: #"kind="test.kind""#) == 2)
        #expect(ServiceAcceptanceTests.sum(first, metric: "bursar_jobs_failed_total", where: #"kind="test.kind""#) == 1)
        #expect(first.contains("bursar_job_duration_seconds_count{kind=\"test.kind\"} 2"))
        let second = try #require(ServiceAcceptanceTests.get(port: port, path: "/metrics")?.body)
        #expect(second.contains(#"test_jobs{state="available"} 0"#), "a gauge whose rows vanished reads 0")

        // A second process on the same port keeps running without HTTP (logged), until shutdown.
        let sameport = TelemetryService(
            configuration: .init(host: "127.0.0.1", port: port), readiness: ClosureReadinessCheck { .ready },
            logger: Logger(label: "test"))
        let secondGroup = ServiceGroup(services: [sameport], logger: Logger(label: "test"))
        let secondEnded = Switch()
        let secondRunning = Task {
            try await secondGroup.run()
            secondEnded.readiness = .ready
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(secondEnded.readiness != .ready, "a service that cannot listen does not end the group")
        await secondGroup.triggerGracefulShutdown()
        try await secondRunning.value

        await group.triggerGracefulShutdown()
        try await running.value
    }
}
