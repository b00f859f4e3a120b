import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP endpoint of a service (interface §5): `/healthz` answers 200 while the process is
/// up, `/readyz` 200 when the application's ``ReadinessCheck`` passes and 503 with its reason
/// otherwise, `/metrics` the Prometheus text exposition. A swift-service-lifecycle `Service`:
/// run it in the process's service group; it stops with the group.
public struct TelemetryService: Service {
    /// Where to listen, and the bounds that keep slow or idle clients from holding the process's
    /// file descriptors (which its document checks and database connections need).
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// A connection that sends no byte for this long — idle between requests, or still
        /// sending its request line and headers — is closed.
        public var idleTimeout: Duration
        /// At most this many connections at once; more wait in the listen backlog.
        public var maximumConnections: Int

        public init(
            host: String = "127.0.0.1", port: Int, idleTimeout: Duration = .seconds(10),
            maximumConnections: Int = 32
        ) {
            self.host = host
            self.port = port
            self.idleTimeout = idleTimeout
            self.maximumConnections = maximumConnections
        }
    }

    private let application: Application<RouterResponder<BasicRequestContext>>
    private let logger: Logger
    private let port: Int

    /// - Parameters:
    ///   - readiness: what `/readyz` asks.
    ///   - gauges: values read at each scrape (beside the process's swift-metrics counters).
    ///   - onListening: called with the port once the server listens (port 0 picks a free one).
    public init(
        configuration: Configuration, readiness: any ReadinessCheck, gauges: @escaping GaugeSampler = { [] },
        metrics: MetricsRegistry = .shared, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let router = Router()
        router.get("/healthz") { _, _ in
            Self.text("ok\n", status: .ok)
        }
        // The body says only ready or not: the reason (hosts, logins, the server's words) goes to
        // the log, not to whoever reaches the port.
        router.get("/readyz") { _, _ in
            switch await readiness.check() {
            case .ready: return Self.text("ready\n", status: .ok)
            case .notReady: return Self.text("not ready\n", status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ in
            let text = metrics.scrape(sampling: await gauges())
            var response = Self.text(text, status: .ok)
            response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return response
        }
        self.logger = logger
        self.port = configuration.port
        let timeout = configuration.idleTimeout.components
        let idle = TimeAmount.nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)
        application = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: idle)),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "bursard",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Serves until graceful shutdown. A port that cannot be bound (another process on this host
    /// has it) is logged as an error and the service then waits for shutdown without HTTP: the
    /// process's workers keep running — several `bursard` on one host need one port each.
    public func run() async throws {
        do {
            try await application.run()
        } catch is CancellationError {
            return
        } catch {
            logger.error(
                "the HTTP endpoint cannot listen; the workers run without it",
                metadata: ["port": "\(port)", "error": "\(error)"])
            try? await gracefulShutdown()
        }
    }

    private static func text(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
