import Foundation
import History
import Hummingbird
import NIOCore
import Store

/// Who is asking: the signed-in officer's session, the language, and the officer's database.
struct Visitor: Sendable {
    let sessionID: String
    let session: ConsoleSessions.Session
    let database: Database
    var language: Language { Language(rawValue: session.language) ?? .en }
}

extension ConsoleServer {
    /// The language of a visitor without a session: the `bursar_lang` cookie, else Accept-Language.
    func anonymousLanguage(_ request: Request) -> Language {
        if let chosen = request.cookies["bursar_lang"]?.value, let language = Language(rawValue: chosen) {
            return language
        }
        return Self.preferredLanguage(request.headers[.acceptLanguage])
    }

    /// Japanese when Accept-Language prefers it to English, else English.
    static func preferredLanguage(_ header: String?) -> Language {
        guard let header else { return .en }
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            if tag.hasPrefix("ja") { return .ja }
            if tag.hasPrefix("en") { return .en }
        }
        return .en
    }

    /// The visitor of a request, or nil (then the page redirects to /login). The officer must
    /// still be a member of bursar_officer: revoking the membership ends every session at once.
    func visitor(_ request: Request) async throws -> Visitor? {
        if let header = configuration.trustedHeader {
            return try await trustedVisitor(request, header: header)
        }
        guard let id = request.cookies[cookieName]?.value, id.count == 64,
            let session = try await sessions.find(id: id)
        else { return nil }
        guard OfficerLogin.isPlainName(session.officer), try await sessions.isOfficer(session.officer) else {
            try await sessions.delete(id: id)
            return nil
        }
        return Visitor(sessionID: id, session: session, database: await officers.database(for: session.officer))
    }

    /// Behind single sign-on the proxy names the officer; the session then only carries the
    /// CSRF token and language, and is replaced when the header names someone else.
    private func trustedVisitor(_ request: Request, header: String) async throws -> Visitor? {
        guard let name = HeaderName(header), let officer = request.headers[name]?.lowercased(),
            OfficerLogin.isPlainName(officer), try await sessions.isOfficer(officer)
        else { return nil }
        if let id = request.cookies[cookieName]?.value, id.count == 64, let session = try await sessions.find(id: id),
            session.officer == officer
        {
            return Visitor(sessionID: id, session: session, database: await officers.database(for: officer))
        }
        return nil
    }

    /// Renders `template` as a page (status 200 unless told) in the visitor's language.
    func page(
        _ template: String, title: ConsoleMessage, visitor: Visitor?, language: Language, data: [String: Any],
        back: String, status: HTTPResponse.Status = .ok
    ) -> Response {
        var context = data
        context["t"] = words(language)
        context["lang"] = language.rawValue
        context["otherLang"] = language == .ja ? "en" : "ja"
        context["title"] = MessageCatalogue.console(title, language)
        context["back"] = back
        context["currentMonth"] = Self.currentMonth()
        if let visitor {
            context["officer"] = visitor.session.officer
            context["csrf"] = visitor.session.csrf
            if let flash = visitor.session.flash { context["flash"] = flash }
        }
        let html = library.render(context, withTemplate: template) ?? ""
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Every word of the console in `language`, for templates (`{{t.key}}`).
    func words(_ language: Language) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: ConsoleMessage.allCases.map { ($0.rawValue, MessageCatalogue.console($0, language)) })
    }

    static func currentMonth() -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "Asia/Tokyo")!, from: Date())
        return String(format: "%04d-%02d", parts.year ?? 2026, parts.month ?? 1)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The form fields of a POST body (at most 64 KiB).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 1 << 16)
        return Forms.parse(String(buffer: buffer))
    }

    /// A back path for the language switch: a path of this console only (no scheme, no host).
    /// Printable ASCII only: browsers drop a tab or line break inside a URL, so `/<TAB>/evil.example`
    /// would become `//evil.example`, another site.
    static func safeBack(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.count < 200,
            path.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            return "/"
        }
        return path
    }

    /// Whether `text` has the shape of an applicant id (letters, digits, `.`, `_`, `-`; at most 64).
    static func isApplicantID(_ text: String) -> Bool {
        let punctuation = "._-".unicodeScalars
        return !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || punctuation.contains($0))
            }
    }

    /// Whether a POST may act: its Origin (when sent) is this host, and its CSRF field matches the session's.
    static func acceptable(_ request: Request, fields: [String: String], session: ConsoleSessions.Session) -> Bool {
        if let origin = request.headers[HeaderName("Origin")!] {
            let host = request.head.authority ?? ""
            guard origin == "http://\(host)" || origin == "https://\(host)" else { return false }
        }
        return Forms.same(fields["csrf"] ?? "", session.csrf)
    }

    func sessionCookie(_ id: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: cookieName, value: id, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
            sameSite: .strict)
    }
}
