import Foundation
import Partners
import Postgres
import Screening
import Store

/// Program definitions and partner matchers, kept between jobs by the version of the program
/// data they were built from (``ProgramData/Versions``): a job asks for the versions in force in
/// its transaction and gets inputs of exactly those versions, rebuilt on its own connection when
/// the data moved on.
actor ScreeningInputs {
    private let database: Database
    private var programs: [String: (version: Int, program: Program)] = [:]
    private var matchers: [String: (version: Int, matcher: CachedPartnerMatcher)] = [:]

    init(database: Database) { self.database = database }

    /// The program definition of `versions.definition`, read on `connection` when not cached.
    func program(_ id: String, versions: ProgramData.Versions, on connection: Connection) async throws -> Program {
        if let cached = programs[id], cached.version == versions.definition { return cached.program }
        let program = try await ProgramStore.program(id, on: connection)
        programs[id] = (versions.definition, program)
        return program
    }

    /// The partner matcher of `versions.partners` (the list with the officers' decisions), built
    /// on `connection` when not cached.
    func matcher(_ program: String, versions: ProgramData.Versions, on connection: Connection) async throws -> CachedPartnerMatcher {
        if let cached = matchers[program], cached.version == versions.partners { return cached.matcher }
        let matcher = CachedPartnerMatcher(try await PartnerStore.matcher(program: program, on: connection).matcher)
        matchers[program] = (versions.partners, matcher)
        return matcher
    }

    /// The program's current definition, for readers outside a decision's transaction (the
    /// lifecycle rules read stipend and durations).
    func program(_ id: String) async throws -> Program {
        let versions = try await database.pool.withConnection { connection in try await ProgramData.versions(program: id, on: connection) }
        if let cached = programs[id], cached.version == versions.definition { return cached.program }
        let program = try await ProgramStore(database: database).program(id)
        programs[id] = (versions.definition, program)
        return program
    }
}
