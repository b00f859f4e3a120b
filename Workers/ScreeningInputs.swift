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
    func matcher(_ program: String, versions: ProgramData.Versions, on connection: Connection) async throws
        -> CachedPartnerMatcher
    {
        if let cached = matchers[program], cached.version == versions.partners { return cached.matcher }
        let matcher = CachedPartnerMatcher(try await PartnerStore.matcher(program: program, on: connection).matcher)
        matchers[program] = (versions.partners, matcher)
        return matcher
    }

    /// The program's current definition on `connection` (inside the caller's transaction, e.g.
    /// the lifecycle rules reading stipend and durations).
    func program(_ id: String, on connection: Connection) async throws -> Program {
        try await program(id, versions: try await ProgramData.versions(program: id, on: connection), on: connection)
    }

    /// The program's definition as last read by a job of this process (screening refreshes it
    /// whenever it sees a newer version), or read now when none was. Takes no connection while
    /// one is cached; callers inside a transaction should prefer ``program(_:on:)``.
    func program(_ id: String) async throws -> Program {
        if let cached = programs[id] { return cached.program }
        let (version, program) = try await database.pool.withConnection { connection in
            (
                try await ProgramData.versions(program: id, on: connection).definition,
                try await ProgramStore.program(id, on: connection)
            )
        }
        programs[id] = (version, program)
        return program
    }
}
