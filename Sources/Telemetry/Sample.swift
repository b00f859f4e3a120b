/// A gauge value read at scrape time (from the database, or a pool's counters), with its labels.
public struct GaugeSample: Sendable, Equatable {
    /// A Prometheus metric name (`bursar_jobs`).
    public var name: String
    public var labels: [Labels]
    public var value: Double
    /// The metric's help text.
    public var help: String

    /// One label pair.
    public struct Labels: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(name: String, labels: [Labels] = [], value: Double, help: String) {
        self.name = name
        self.labels = labels
        self.value = value
        self.help = help
    }
}

/// Reads gauge samples when `/metrics` is scraped.
public typealias GaugeSampler = @Sendable () async -> [GaugeSample]
