import CoreMetrics
import Foundation
import Prometheus

/// The process's Prometheus registry: swift-metrics counters and timers recorded anywhere in the
/// process (``bootstrap()`` makes it the metrics backend), plus gauges read at scrape time.
public final class MetricsRegistry: Sendable {
    /// The registry every process-local metric goes to once ``bootstrap()`` has run.
    public static let shared = MetricsRegistry()

    let registry = PrometheusCollectorRegistry()
    /// Label sets each sampled gauge had at the last scrape, to zero those that vanished.
    private let lastSampled = Locked<[String: GaugeSample]>([:])
    private static let bootstrapped = Locked(false)

    init() {}

    /// Makes this registry the swift-metrics backend of the process (once; later calls do
    /// nothing, so tests and commands may call it freely).
    public func bootstrap() {
        let first = Self.bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        // Job durations: from 1 ms (a completion batch) to 5 min (the longest timeout).
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
            .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// The Prometheus text exposition of everything, after setting the sampled gauges.
    public func scrape(sampling samples: [GaugeSample]) -> String {
        var seen: [String: GaugeSample] = [:]
        for sample in samples {
            set(sample)
            seen[Self.key(sample)] = sample
        }
        // A queue/state pair that has no rows any more reads 0, not its last value.
        let vanished = lastSampled.withLock { last in
            defer { last = seen }
            return last.filter { seen[$0.key] == nil }.values
        }
        for var sample in vanished {
            sample.value = 0
            set(sample)
        }
        return registry.emitToString()
    }

    private func set(_ sample: GaugeSample) {
        registry.makeGauge(name: sample.name, labels: sample.labels.map { ($0.name, $0.value) }, help: sample.help).set(
            sample.value)
    }

    private static func key(_ sample: GaugeSample) -> String {
        ([sample.name] + sample.labels.flatMap { [$0.name, $0.value] }).joined(separator: "\u{1F}")
    }
}
