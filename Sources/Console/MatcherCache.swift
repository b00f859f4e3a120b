import Partners
import Postgres
import Store

/// The program's partner matcher, kept while the program's partner data stays at the version it
/// was built from (building one takes 100 ms in a debug build: the work queue shows candidates
/// for each uncertain spelling on every request). A cache: any console process rebuilds it.
actor MatcherCache {
    private var cached: (program: String, version: Int, matcher: PartnerMatcher)?

    /// The matcher of `program` as its partner list and the officers' decisions stand now. The
    /// version is read before the matcher is built, so a change committed in between makes the
    /// next request build again rather than keep older data under a newer version.
    func matcher(program: String, database: Database) async throws -> PartnerMatcher {
        let version = try await database.pool.withConnection {
            try await ProgramData.versions(program: program, on: $0).partners
        }
        if let cached, cached.program == program, cached.version == version { return cached.matcher }
        let matcher = try await PartnerStore(database: database).matcher(program: program)
        cached = (program, version, matcher)
        return matcher
    }
}
