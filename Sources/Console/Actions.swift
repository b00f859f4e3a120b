import Foundation
import History
import Hummingbird
import Screening
import Store

extension ConsoleServer {
    /// The officer's actions: each a POST with `csrf` and `reason`, calling the Store function
    /// the CLI command calls (which writes the one audit row, as the officer's role), then a 303
    /// back with a message shown once.
    func actionRoutes(_ router: Router<ConsoleContext>) {
        let program = configuration.program
        action(router, "spelling/confirm", back: "/queue") { database, fields, reason in
            let spelling = try Self.required(fields, "spelling")
            let partner = try Self.required(fields, "partner")
            let count = try await PartnerStore(database: database).decide(
                program: program, spelling: spelling, partner: partner, reason: reason)
            return "\(partner): \(count) → rescreening"
        }
        action(router, "spelling/reject", back: "/queue") { database, fields, reason in
            let count = try await PartnerStore(database: database).decide(
                program: program, spelling: try Self.required(fields, "spelling"), partner: nil, reason: reason)
            return "\(count) → rescreening"
        }
        action(router, "duplicates/resolve", back: "/queue") { database, fields, reason in
            let drop = try Self.required(fields, "drop")
            let resolution = try await PersonScreening(database: database).resolveDuplicate(
                program: program, drop: drop, keep: try Self.required(fields, "keep"), reason: reason)
            return "\(drop): \(resolution.redecided) → rescreening"
        }
        action(router, "flags/clear", back: "/queue") { database, fields, reason in
            let applicant = try Self.required(fields, "applicant")
            let flag = try Self.required(fields, "flag")
            let released = try await database.pool.withTransaction {
                try await PaymentStore.clearFlag(
                    program: program, applicantID: applicant, flag: flag, reason: reason, on: $0)
            }
            return "\(applicant) \(flag): \(released)"
        }
        for hold in [true, false] {
            action(router, hold ? "payments/hold" : "payments/release", back: nil) { database, fields, reason in
                let applicant = try Self.required(fields, "applicant")
                let released = try await database.pool.withTransaction {
                    try await PaymentStore.officerHold(
                        program: program, applicantID: applicant, hold: hold, reason: reason, on: $0)
                }
                return "\(applicant): \(released)"
            }
        }
        action(router, "events", back: nil) { database, fields, reason in
            let applicant = try Self.required(fields, "applicant")
            guard try await ReviewStore(database: database).name(program: program, applicantID: applicant) != nil
            else {
                throw BursarError.notFound("there is no applicant \(applicant) in \(program): no event was recorded")
            }
            let line = EventForm.line(fields, applicantID: applicant, reason: reason)
            let event = try await OfficerEvent.record(
                line, applicantID: applicant, program: program, reason: reason, database: database)
            return "\(applicant) \(event.typeName) \(event.eventID ?? "") → lifecycle"
        }
    }

    /// A required form field, or a refusal an officer can act on.
    static func required(_ fields: [String: String], _ name: String) throws -> String {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw BursarError.input("the form lacks \(name)")
        }
        return value
    }

    /// Registers `POST /actions/NAME`. Without a valid CSRF token: 403; without a reason: 400 —
    /// both before anything is read or written. `back` is where to go afterwards (nil: the case
    /// of the form's applicant).
    private func action(
        _ router: Router<ConsoleContext>, _ name: String, back: String?,
        _ body: @escaping @Sendable (Database, [String: String], String) async throws -> String
    ) {
        router.post("/actions/\(name)") { request, _ in
            try await self.signedIn(request) { visitor in
                let fields = try await Self.form(request)
                let language = visitor.language
                guard Self.acceptable(request, fields: fields, session: visitor.session) else {
                    return self.page(
                        "error", title: .action, visitor: visitor, language: language,
                        data: ["message": MessageCatalogue.console(.csrfRefused, language)], back: "/",
                        status: .forbidden)
                }
                // The CLI's rule for `--reason` (one line, at most 2,000 characters); a form's
                // trailing line break is the browser's, not the officer's.
                let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if let problem = OfficerReason.problem(in: reason) {
                    let message: ConsoleMessage =
                        switch problem {
                        case .blank: .reasonRequired
                        case .notOneLine: .reasonNotOneLine
                        case .tooLong: .reasonTooLong
                        }
                    return self.page(
                        "error", title: .action, visitor: visitor, language: language,
                        data: ["message": MessageCatalogue.console(message, language)], back: "/",
                        status: .badRequest)
                }
                // Back to the applicant's case only for a well-formed id: whatever else was typed
                // into the field (a name, markup) must not reach a URL or a Location header.
                let applicantPath = fields["applicant"].flatMap { Self.isApplicantID($0) ? "/applicants/\($0)" : nil }
                let target = back ?? applicantPath ?? "/queue"
                let message: String
                do {
                    message =
                        MessageCatalogue.console(.done, language) + " "
                        + (try await body(visitor.database, fields, reason))
                } catch let error as BursarError {
                    message = error.description
                }
                try await self.sessions.update(id: visitor.sessionID, flash: message)
                return Self.redirect(Self.safeBack(target))
            }
        }
    }
}
