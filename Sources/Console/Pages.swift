import Foundation
import History
import Hummingbird
import Lifecycle
import NIOCore
import Partners
import Screening
import Store

extension ConsoleServer {
    /// Items a page of a list shows.
    static let pageSize = 50
    /// The highest page number read from a request (far past any list's end).
    static let lastPage = 1_000_000

    func pageRoutes(_ router: Router<ConsoleContext>) {
        router.get("/") { request, _ in try await self.signedIn(request) { try await self.dashboard($0) } }
        router.get("/queue") { request, _ in
            try await self.signedIn(request) { try await self.queue($0, page: Self.pageNumber(request)) }
        }
        router.get("/applicants") { request, _ in
            try await self.signedIn(request) { try await self.applicants($0, page: Self.pageNumber(request)) }
        }
        router.post("/applicants/search") { request, _ in
            try await self.signedIn(request) { visitor in
                let fields = try await Self.form(request)
                guard Self.acceptable(request, fields: fields, session: visitor.session) else {
                    return Response(status: .forbidden)
                }
                // The query stays in the session: a name never travels in a URL.
                try await self.sessions.update(id: visitor.sessionID, search: fields["q"] ?? "")
                return Self.redirect("/applicants")
            }
        }
        router.get("/applicants/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await self.signedIn(request) { try await self.applicantCase($0, id: id) }
        }
        router.get("/payments/:month") { request, context in
            let month = context.parameters.get("month") ?? ""
            return try await self.signedIn(request) {
                try await self.payments($0, month: month, page: Self.pageNumber(request))
            }
        }
        router.get("/payments/:month/files/:run") { request, context in
            let month = context.parameters.get("month") ?? ""
            let run = context.parameters.get("run") ?? ""
            return try await self.signedIn(request) { try await self.bankFile($0, month: month, run: run) }
        }
        router.get("/audit") { request, _ in
            try await self.signedIn(request) { try await self.audit($0, request: request) }
        }
    }

    static func pageNumber(_ request: Request) -> Int {
        // Bounded: `(page - 1) * pageSize` must not overflow (a huge number stopped the process).
        min(max(1, Int(request.uri.queryParameters.get("page") ?? "1") ?? 1), Self.lastPage)
    }

    /// The pager's links of page `number`: `base` is the list's address up to `page=`.
    static func pager(_ number: Int, more: Bool, base: String) -> [String: Any] {
        var links: [String: Any] = ["pageBase": base]
        if number > 1 { links["previous"] = number - 1 }
        if more { links["next"] = number + 1 }
        return links
    }

    /// The slice of `items` on page `page`, with the previous and next page numbers.
    static func paged<T>(_ items: [T], page: Int) -> (items: [T], previous: Int?, next: Int?) {
        let start = min((page - 1) * pageSize, items.count)
        let end = min(start + pageSize, items.count)
        return (Array(items[start..<end]), page > 1 ? page - 1 : nil, end < items.count ? page + 1 : nil)
    }

    private var program: String { configuration.program }

    private func dashboard(_ visitor: Visitor) async throws -> Response {
        let program = program
        let month = YearMonth(iso: Self.currentMonth())!
        // The counts on the officer's second connection while the first reads the month: the
        // two halves take about as long as each other.
        async let counts = waitingCounts(visitor)
        let (health, report) = try await visitor.database.pool.withTransaction { connection in
            (
                try await ConsoleFacts.queueHealth(on: connection),
                try await PaymentStore.monthReport(program: program, month: month, on: connection)
            )
        }
        let (outcomes, lists) = try await counts
        let t = words(visitor.language)
        // Held payments: the month report's held lines (a month is held only once a run reached
        // it, and no run reaches past this month), so the scholarships are folded once, not twice.
        let waiting: [[String: Any]] = [
            ["anchor": "queue-review", "label": t["reviewClauses"]!, "count": lists.review],
            ["anchor": "queue-spellings", "label": t["uncertainSpellings"]!, "count": lists.spellings],
            ["anchor": "queue-duplicates", "label": t["duplicatePairs"]!, "count": lists.duplicates],
            ["anchor": "queue-flags", "label": t["openFlags"]!, "count": lists.flags],
            ["anchor": "queue-holds", "label": t["heldPayments"]!, "count": report.held.count],
        ]
        return page(
            "dashboard", title: .dashboard, visitor: visitor, language: visitor.language,
            data: [
                "outcomes": outcomes.map { ["name": $0.0, "count": $0.1] },
                "waiting": waiting,
                "month": Self.totals(report),
                "jobs": health.byState.map { ["name": $0.0, "count": $0.1] },
                "oldestWaiting": health.oldestWaitingSeconds.map(String.init) ?? "—",
            ], back: "/")
    }

    static func totals(_ report: PaymentStore.MonthReport) -> [String: Any] {
        [
            "paidCount": report.paid.count, "paidYen": report.paid.reduce(0) { $0 + $1.yen },
            "heldCount": report.held.count, "heldYen": report.held.reduce(0) { $0 + $1.yen },
            "dueCount": report.due.count, "dueYen": report.due.reduce(0) { $0 + $1.yen },
        ]
    }

    /// What waits for a person, each list as the CLI's commands read it, without what is costly
    /// to show (reasons from the traces, partner candidates, payment positions): the dashboard
    /// counts these, and the work queue pages them before it reads the rest for one page.
    struct WaitingLists {
        var review: [(applicantID: String, clauses: [String])] = []
        var spellings: [ReviewStore.Spelling] = []
        var duplicates: [[String: String]] = []
        var flags: [[String: Any]] = []
    }

    /// `withReview: false` leaves the applications in review out (the dashboard counts them).
    func waitingLists(_ visitor: Visitor, withReview: Bool = true) async throws -> WaitingLists {
        let program = program
        let database = visitor.database
        var lists = WaitingLists()
        let review = ReviewStore(database: database)
        if withReview { lists.review = try await review.inReview(program: program) }
        lists.spellings = try await review.uncertainSpellings(program: program)
        lists.duplicates = try await PersonScreening(database: database).openDuplicates(program: program).flatMap {
            pair in pair.others.filter { pair.applicantID < $0 }.map { ["drop": pair.applicantID, "keep": $0] }
        }
        let flags = try await database.pool.withConnection { connection in
            try await LifecycleStore.openFlags(program: program, on: connection)
        }
        lists.flags = flags.sorted { $0.key < $1.key }.flatMap { applicant, open in
            open.filter { $0.flag != Scholarship.officerHoldFlag }.map {
                ["applicantID": applicant, "flag": $0.flag, "month": $0.month?.description ?? ""]
            }
        }
        return lists
    }

    /// The dashboard's half that is not the month: decisions by outcome and how many of each
    /// list wait, counted as the work queue lists them (the applications in review by count only).
    func waitingCounts(_ visitor: Visitor) async throws -> (
        outcomes: [(String, Int)], lists: (review: Int, spellings: Int, duplicates: Int, flags: Int)
    ) {
        let program = program
        let outcomes = try await visitor.database.pool.withConnection { connection in
            try await ConsoleFacts.outcomeCounts(program: program, on: connection)
        }
        let review = try await ReviewStore(database: visitor.database).inReviewCount(program: program)
        let lists = try await waitingLists(visitor, withReview: false)
        return (outcomes, (review, lists.spellings.count, lists.duplicates.count, lists.flags.count))
    }

    /// The held payment lines with their reasons, and whether an officer's hold is among them.
    func heldLines(_ visitor: Visitor) async throws -> [[String: Any]] {
        let program = program
        let positions = try await visitor.database.pool.withConnection { connection in
            try await PaymentStore.positions(program: program, on: connection)
        }
        var holds: [[String: Any]] = []
        for position in positions {
            let officerHold = position.scholarship.flags.contains(Scholarship.officerHoldFlag)
            // A held month is one a run reached: no later month is explained.
            guard let reached = position.reachedThrough else { continue }
            for line in position.lines(through: reached) where line.status == .held {
                holds.append([
                    "applicantID": position.scholarship.applicantID, "month": line.month.description, "yen": line.yen,
                    "reason": line.reason, "officerHold": officerHold,
                ])
            }
        }
        return holds
    }

    private func queue(_ visitor: Visitor, page number: Int) async throws -> Response {
        let program = program
        // The payment positions (the slower half) on the officer's second connection meanwhile.
        async let held = heldLines(visitor)
        let lists = try await waitingLists(visitor)
        let review = Self.paged(lists.review, page: number)
        let spellings = Self.paged(lists.spellings, page: number)
        let duplicates = Self.paged(lists.duplicates, page: number)
        let flags = Self.paged(lists.flags, page: number)
        let holds = Self.paged(try await held, page: number)
        // The reasons of the page's applications only: each means reading a decision's trace.
        var reasons: [String: [[String: String]]] = [:]
        if !review.items.isEmpty {
            let waiting = try await ReviewStore(database: visitor.database).waiting(
                program: program, applicantIDs: review.items.map(\.applicantID))
            for item in waiting {
                reasons[item.applicantID, default: []].append(["clause": item.clause, "why": item.why])
            }
        }
        var matcher: PartnerMatcher?
        if !spellings.items.isEmpty {
            matcher = try await matchers.matcher(program: program, database: visitor.database)
        }
        let more = [review.next, spellings.next, duplicates.next, flags.next, holds.next].contains { $0 != nil }
        var data: [String: Any] = [
            "review": review.items.map { ["applicantID": $0.applicantID, "clauses": reasons[$0.applicantID] ?? []] },
            "spellings": spellings.items.map { spelling in
                [
                    "spelling": spelling.spelling, "country": spelling.country, "applications": spelling.applications,
                    "candidates": matcher?.match(institution: spelling.spelling, country: spelling.country).candidates
                        .map(\.partner) ?? [],
                ]
            },
            "duplicates": duplicates.items, "flags": flags.items, "holds": holds.items,
        ]
        data.merge(Self.pager(number, more: more, base: "/queue?")) { $1 }
        return page("queue", title: .queue, visitor: visitor, language: visitor.language, data: data, back: "/queue")
    }

    private func applicants(_ visitor: Visitor, page number: Int) async throws -> Response {
        let program = program
        let query = visitor.session.search
        let rows = try await visitor.database.pool.withConnection { connection in
            try await ConsoleFacts.applicants(
                program: program, query: query, limit: Self.pageSize + 1, offset: (number - 1) * Self.pageSize,
                on: connection)
        }
        var data: [String: Any] = [
            "query": query ?? "",
            "rows": rows.prefix(Self.pageSize).map {
                [
                    "applicantID": $0.applicantID, "familyName": $0.familyName, "givenName": $0.givenName,
                    "outcome": $0.outcome,
                ]
            },
        ]
        data.merge(Self.pager(number, more: rows.count > Self.pageSize, base: "/applicants?")) { $1 }
        return page(
            "applicants", title: .applicants, visitor: visitor, language: visitor.language, data: data,
            back: "/applicants")
    }

    private func applicantCase(_ visitor: Visitor, id: String) async throws -> Response {
        let program = program
        let language = visitor.language
        guard let name = try await ReviewStore(database: visitor.database).name(program: program, applicantID: id)
        else {
            return page(
                "error", title: .applicant, visitor: visitor, language: language,
                data: ["message": "\(MessageCatalogue.console(.nothing, language))"], back: "/applicants",
                status: .notFound)
        }
        let (decisions, events, positions, audit) = try await visitor.database.pool.withTransaction { connection in
            (
                try await HistoryStore.decisions(applicantID: id, program: program, on: connection),
                try await LifecycleStore.events(program: program, applicantID: id, on: connection),
                try await PaymentStore.positions(program: program, applicantID: id, on: connection),
                try await AuditLog.entries(on: connection, applicantID: id, since: nil, limit: 200)
            )
        }
        var data: [String: Any] = [
            "applicantID": id, "familyName": name.family, "givenName": name.given,
            "decisions": decisions.map {
                [
                    "id": $0.id, "revision": $0.revision, "outcome": $0.record.outcome.rawValue,
                    "decidedAt": $0.decidedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "",
                ]
            },
            "events": events.map {
                [
                    "date": $0.date ?? "", "type": $0.type, "status": $0.status, "eventID": $0.eventID ?? "",
                    "effect": $0.effect ?? "",
                ]
            },
            // What the event form offers: a retraction names an event by its id, once.
            "retractable": events.filter { $0.type != "retraction" && $0.status != "retracted" }.compactMap(\.eventID),
            "eventTypes": EventForm.types,
            "terminationReasons": TerminationReason.allCases.map(\.rawValue),
            "supportKinds": SupportKind.allCases.map(\.rawValue),
            "audit": audit.reversed().map {
                ["at": $0.at, "action": $0.action, "role": $0.databaseRole ?? "", "reason": $0.reason ?? ""]
            },
        ]
        if let current = decisions.last {
            data["outcome"] = current.record.outcome.rawValue
            let trace = try? JSONDecoder().decode(DecisionTrace.self, from: Data(current.trace.utf8))
            data["clauses"] = (trace?.clauses ?? []).map { clause in
                let sentence = ClauseSentences.sentence(clause.id)
                return [
                    "id": clause.id, "status": clause.status.rawValue, "explanation": clause.explanation,
                    "sentence": language == .ja ? (sentence.japanese ?? sentence.english) : sentence.english,
                ]
            }
        }
        if let position = positions.first {
            data["flags"] = position.scholarship.flags
            data["lines"] = position.lines.map {
                ["month": $0.month.description, "status": $0.status.rawValue, "yen": $0.yen, "reason": $0.reason]
            }
        }
        return page(
            "case", title: .applicant, visitor: visitor, language: language, data: data, back: "/applicants/\(id)")
    }

    private func payments(_ visitor: Visitor, month text: String, page number: Int) async throws -> Response {
        guard let month = YearMonth(iso: text) else { return Response(status: .notFound) }
        let program = program
        let (report, files) = try await visitor.database.pool.withTransaction { connection in
            (
                try await PaymentStore.monthReport(program: program, month: month, on: connection),
                try await ConsoleFacts.bankFiles(program: program, month: text, on: connection)
            )
        }
        func rows(_ lines: [PaymentStore.SettledMonth]) -> [[String: Any]] {
            lines.map {
                [
                    "applicantID": $0.applicantID, "month": $0.month.description, "yen": $0.yen,
                    "reason": $0.reason ?? "",
                ]
            }
        }
        var data = Self.totals(report)
        data["month"] = text
        // The totals count every line; the lists are paged together, as the work queue's.
        let paid = Self.paged(report.paid, page: number)
        let held = Self.paged(report.held, page: number)
        let due = Self.paged(report.due, page: number)
        data["paid"] = rows(paid.items)
        data["held"] = rows(held.items)
        data["due"] = rows(due.items)
        let more = [paid.next, held.next, due.next].contains { $0 != nil }
        data.merge(Self.pager(number, more: more, base: "/payments/\(text)?")) { $1 }
        data["files"] = files.map { ["runID": $0.runID, "file": URL(fileURLWithPath: $0.file).lastPathComponent] }
        return page(
            "payments", title: .payments, visitor: visitor, language: visitor.language, data: data,
            back: "/payments/\(text)")
    }

    /// A bank file of one of the month's runs, as an attachment. Every visitor is an officer, and
    /// the file is made again from the run's committed rows by the code that writes it for
    /// `bursar payments run` (no stored path is read). The URL names the run, never a person; the
    /// download is audited, as the file carries names and, in Zengin, account numbers.
    private func bankFile(_ visitor: Visitor, month text: String, run: String) async throws -> Response {
        let program = program
        let home = visitor.database.home
        guard let month = YearMonth(iso: text), let runID = Int64(run) else { return notFound(visitor) }
        let file: (name: String, bytes: [UInt8])?
        do {
            file = try await visitor.database.pool.withTransaction { connection in
                let runs = try await ConsoleFacts.bankFiles(program: program, month: text, on: connection)
                guard runs.contains(where: { $0.runID == runID }) else { return nil }
                let file = try await PaymentRunner.file(
                    runID: runID, program: program, month: month, home: home, on: connection)
                try await AuditLog.record(
                    on: connection, action: "payments.file_downloaded", program: program,
                    detail: ["run": String(runID), "file": file.name])
                return file
            }
        } catch let error as BursarError {
            return page(
                "error", title: .payments, visitor: visitor, language: visitor.language,
                data: ["message": error.description], back: "/payments/\(text)", status: .internalServerError)
        }
        guard let file else { return notFound(visitor) }
        let type = file.name.hasSuffix(".csv") ? "text/csv; charset=utf-8" : "application/octet-stream"
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"\(file.name)\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    private func notFound(_ visitor: Visitor) -> Response {
        page(
            "error", title: .payments, visitor: visitor, language: visitor.language,
            data: ["message": MessageCatalogue.console(.nothing, visitor.language)], back: "/", status: .notFound)
    }

    private func audit(_ visitor: Visitor, request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        func filter(_ name: String) -> String? {
            guard let value = query.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let since = filter("since").flatMap { CalendarDate(iso: $0) != nil ? $0 : nil }
        let number = Self.pageNumber(request)
        let rows = try await visitor.database.pool.withConnection { connection in
            try await ConsoleFacts.audit(
                applicantID: filter("applicant"), action: filter("action"), role: filter("officer"), since: since,
                limit: Self.pageSize + 1, offset: (number - 1) * Self.pageSize, on: connection)
        }
        var data: [String: Any] = [
            "filter": [
                "applicant": filter("applicant") ?? "", "action": filter("action") ?? "",
                "officer": filter("officer") ?? "", "since": since ?? "",
            ],
            "rows": rows.prefix(Self.pageSize).map {
                [
                    "at": $0.at, "action": $0.action, "applicantID": $0.applicantID ?? "",
                    "role": $0.databaseRole ?? "",
                    "reason": $0.reason ?? "", "detail": $0.detail,
                ]
            },
        ]
        // The next page keeps the filters (they were dropped: page 2 listed every row).
        let items = [
            ("applicant", filter("applicant")), ("action", filter("action")), ("officer", filter("officer")),
            ("since", since),
        ].compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        var filters = URLComponents()
        filters.queryItems = items
        let kept = items.isEmpty ? "" : (filters.percentEncodedQuery ?? "") + "&"
        data.merge(Self.pager(number, more: rows.count > Self.pageSize, base: "/audit?" + kept)) { $1 }
        return page("audit", title: .audit, visitor: visitor, language: visitor.language, data: data, back: "/audit")
    }
}
