import Foundation
import Partners
import Postgres
import Screening
import Store

/// Program definitions and partner matchers, kept between jobs and rebuilt when the partner
/// list or an officer's decision on it changes.
actor ScreeningInputs {
    private let database: Database
    private var programs: [String: Program] = [:]
    private var matchers: [String: (version: String, matcher: CachedPartnerMatcher)] = [:]

    init(database: Database) { self.database = database }

    func program(_ id: String) async throws -> Program {
        if let program = programs[id] { return program }
        let program = try await ProgramStore(database: database).program(id)
        programs[id] = program
        return program
    }

    func matcher(_ program: String) async throws -> CachedPartnerMatcher {
        let store = PartnerStore(database: database)
        let version = try await store.version(program: program)
        if let cached = matchers[program], cached.version == version { return cached.matcher }
        let matcher = CachedPartnerMatcher(try await store.matcher(program: program))
        matchers[program] = (version, matcher)
        return matcher
    }
}
