import Foundation
import History
import Hummingbird
import NIOCore
import Store

extension ConsoleServer {
    func routes(_ router: Router<ConsoleContext>) {
        router.get("/static/console.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Templates.stylesheet)))
        }
        router.get("/login") { request, _ in try await self.loginPage(request) }
        router.post("/login") { request, context in try await self.login(request, address: context.clientAddress) }
        router.post("/logout") { request, _ in try await self.logout(request) }
        router.get("/lang/:language") { request, context in
            try await self.switchLanguage(request, to: context.parameters.get("language") ?? "en")
        }
        pageRoutes(router)
        actionRoutes(router)
    }

    /// A page only for a signed-in officer: others are sent to /login.
    func signedIn(_ request: Request, _ body: (Visitor) async throws -> Response) async throws -> Response {
        guard let visitor = try await visitor(request) else { return Self.redirect("/login") }
        return try await body(visitor)
    }

    private func loginPage(_ request: Request) async throws -> Response {
        if let header = configuration.trustedHeader {
            return try await trustedLogin(request, header: header)
        }
        if try await visitor(request) != nil { return Self.redirect("/") }
        return page(
            "login", title: .signIn, visitor: nil, language: anonymousLanguage(request), data: [:], back: "/login")
    }

    /// Behind single sign-on: a session for the officer the proxy names, or 403.
    private func trustedLogin(_ request: Request, header: String) async throws -> Response {
        let language = anonymousLanguage(request)
        guard let name = HeaderName(header), let officer = request.headers[name]?.lowercased(),
            OfficerLogin.isPlainName(officer), try await sessions.isOfficer(officer)
        else {
            return page(
                "login", title: .signIn, visitor: nil, language: language,
                data: ["error": MessageCatalogue.console(.notAnOfficer, language)], back: "/login", status: .forbidden)
        }
        return try await startSession(officer: officer, language: language)
    }

    private func startSession(officer: String, language: Language) async throws -> Response {
        let id = Forms.secret()
        try await sessions.create(id: id, officer: officer, csrf: Forms.secret(), language: language.rawValue)
        var response = Self.redirect("/")
        response.setCookie(sessionCookie(id))
        return response
    }

    private func login(_ request: Request, address: String?) async throws -> Response {
        let language = anonymousLanguage(request)
        let fields = try await Self.form(request)
        let login = (fields["login"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = fields["password"] ?? ""
        func refuse(_ message: ConsoleMessage, _ status: HTTPResponse.Status) -> Response {
            page(
                "login", title: .signIn, visitor: nil, language: language,
                data: ["error": MessageCatalogue.console(message, language)], back: "/login", status: status)
        }
        // Per login name always; per client address only for a client that is not this machine:
        // behind the loopback proxy every request comes from 127.0.0.1, and one address limit
        // would let anyone lock every officer out (the proxy limits per real address instead).
        var keys = ["login:" + login]
        if let address, !LoginLimiter.isLoopback(address) { keys.append("address:" + address) }
        if let wait = await limiter.attempt(keys) {
            var response = refuse(.tooManyAttempts, .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        guard configuration.trustedHeader == nil else { return refuse(.wrongPassword, .forbidden) }
        guard OfficerLogin.isPlainName(login), !password.isEmpty else { return refuse(.wrongPassword, .unauthorized) }
        do {
            try await OfficerLogin.verify(conninfo: database.conninfo, login: login, password: password)
        } catch .wrongPassword {
            return refuse(.wrongPassword, .unauthorized)
        } catch .notAnOfficer {
            return refuse(.notAnOfficer, .forbidden)
        } catch .serverAskedNoPassword {
            return refuse(.serverAskedNoPassword, .forbidden)
        } catch .databaseUnreachable {
            return refuse(.unavailable, .serviceUnavailable)
        }
        return try await startSession(officer: login, language: language)
    }

    private func logout(_ request: Request) async throws -> Response {
        guard let visitor = try await visitor(request) else { return Self.redirect("/login") }
        let fields = try await Self.form(request)
        guard Self.acceptable(request, fields: fields, session: visitor.session) else {
            return Response(status: .forbidden)
        }
        try await sessions.delete(id: visitor.sessionID)
        var response = Self.redirect("/login")
        response.setCookie(sessionCookie("", maxAge: 0))
        return response
    }

    /// `/lang/ja?back=/queue`: the session's (or, signed out, a cookie's) language, then back.
    private func switchLanguage(_ request: Request, to code: String) async throws -> Response {
        let language = Language(rawValue: code) ?? .en
        var response = Self.redirect(Self.safeBack(request.uri.queryParameters.get("back")))
        if let visitor = try await visitor(request) {
            try await sessions.update(id: visitor.sessionID, language: language.rawValue)
        } else {
            response.setCookie(
                Cookie(
                    name: "bursar_lang", value: language.rawValue, path: "/", secure: configuration.secureCookies,
                    httpOnly: true, sameSite: .strict))
        }
        return response
    }
}
