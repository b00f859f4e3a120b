import Foundation
import History
import Hummingbird
import Logging
import Mustache
import NIOCore
import Postgres
import Store

/// The request context: Hummingbird's, with the client's address (for the sign-in limit).
public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address; nil when unknown.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// How the console runs (`bursar console` options).
public struct ConsoleConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The program whose queue and cases the console shows.
    public var program: String
    /// With a name, the officer's login comes from this header, set by the reverse proxy.
    public var trustedHeader: String?
    /// Behind TLS: `__Host-` cookie with `Secure`.
    public var secureCookies: Bool
    public var idleTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8760, program: String, trustedHeader: String? = nil,
        secureCookies: Bool = false, idleTimeout: Duration = .seconds(30 * 60)
    ) {
        self.host = host
        self.port = port
        self.program = program
        self.trustedHeader = trustedHeader
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
    }

    /// Why the configuration cannot run, or nil: a trusted header needs a loopback listener,
    /// or anyone who reaches the port could name any officer.
    public var problem: String? {
        if trustedHeader != nil && !["127.0.0.1", "::1", "localhost"].contains(host) {
            return "--trusted-header needs --listen on loopback (127.0.0.1 or ::1): only the reverse proxy may set it"
        }
        return nil
    }
}

/// The officers' console: server-rendered pages over the same Store as the CLI (issue 24).
public struct ConsoleServer: Sendable {
    let configuration: ConsoleConfiguration
    let database: Database
    let sessions: ConsoleSessions
    let officers: OfficerDatabases
    let limiter = LoginLimiter()
    let matchers = MatcherCache()
    let library: MustacheLibrary

    public init(configuration: ConsoleConfiguration, database: Database) throws {
        self.configuration = configuration
        self.database = database
        sessions = ConsoleSessions(pool: database.pool, idleTimeout: configuration.idleTimeout)
        officers = OfficerDatabases(database: database)
        library = MustacheLibrary(templates: try Templates.all.mapValues { try MustacheTemplate(string: $0) })
    }

    var cookieName: String { configuration.secureCookies ? "__Host-bursar_session" : "bursar_session" }

    /// The Hummingbird application; `onListening` gets the port (0 in the configuration picks one).
    public func application(
        logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: ConsoleContext.self)
        router.add(middleware: SecurityHeaders())
        router.add(middleware: ErrorPages())
        routes(router)
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "bursar-console"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Closes the officers' pools.
    public func close() async { await officers.closeAll() }
}

/// Headers on every response: a strict CSP (no script at all), no sniffing, no referrer to other
/// sites. `same-origin`, not `no-referrer`: under `no-referrer` Chromium sends `Origin: null` on a
/// form POST, which the Origin check must refuse (found by the browser test).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ConsoleContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HeaderName("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'"
        response.headers[HeaderName("X-Content-Type-Options")!] = "nosniff"
        response.headers[HeaderName("Referrer-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// One Database per signed-in officer, its connections set to the officer's role. A cache: the
/// process holds nothing that another console could not rebuild.
actor OfficerDatabases {
    private let database: Database
    private var byOfficer: [String: Database] = [:]

    init(database: Database) { self.database = database }

    func database(for officer: String) -> Database {
        if let known = byOfficer[officer] { return known }
        let made = database.asOfficer(officer)
        byOfficer[officer] = made
        return made
    }

    func closeAll() async {
        for database in byOfficer.values { await database.close() }
        byOfficer.removeAll()
    }
}
