import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP endpoint of a service (interface §5): `/healthz` answers 200 while the process is
/// up, `/readyz` 200 when the application's ``ReadinessCheck`` passes and 503 with its reason
/// otherwise, `/metrics` the Prometheus text exposition. A swift-service-lifecycle `Service`:
/// run it in the process's service group; it stops with the group.
public struct TelemetryService: Service {
    /// Where to listen.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int

        public init(host: String = "0.0.0.0", port: Int) {
            self.host = host
            self.port = port
        }
    }

    private let application: Application<RouterResponder<BasicRequestContext>>
    private let logger: Logger
    private let port: Int

    /// - Parameters:
    ///   - readiness: what `/readyz` asks.
    ///   - gauges: values read at each scrape (beside the process's swift-metrics counters).
    ///   - onListening: called with the port once the server listens (port 0 picks a free one).
    public init(configuration: Configuration, readiness: any ReadinessCheck, gauges: @escaping GaugeSampler = { [] },
                metrics: MetricsRegistry = .shared, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) {
        let router = Router()
        router.get("/healthz") { _, _ in
            Self.text("ok\n", status: .ok)
        }
        router.get("/readyz") { _, _ in
            switch await readiness.check() {
            case .ready: return Self.text("ready\n", status: .ok)
            case .notReady(let reason): return Self.text("not ready: \(reason)\n", status: .serviceUnavailable)
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
        application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "bursard"),
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
            logger.error("the HTTP endpoint cannot listen; the workers run without it", metadata: ["port": "\(port)", "error": "\(error)"])
            try? await gracefulShutdown()
        }
    }

    private static func text(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
