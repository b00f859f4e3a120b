import Postgres

/// The versions of a program's data (definition, partner list with the officers' partner
/// decisions, exclusion lists, duplicate resolutions) and the lock that orders decisions against
/// changes of that data (interface §2, §7).
///
/// Every transaction that decides applications holds the program's lock shared from before it
/// reads any program data until it commits; every change of program data holds it exclusively
/// and, in the same transaction, appends a version and enqueues the applications it affects. So a
/// decision that read the old data commits before the change does, and the re-decision the change
/// enqueued — which reads the new data — always comes after it and is the latest.
/// (The alternative, a version checked before commit, still races with a change committing
/// between the check and the commit.)
public enum ProgramData {
    /// One kind of program data; each has its own version sequence.
    public enum Kind: String, Sendable, CaseIterable {
        case definition, partners, exclusions, duplicates
    }

    /// The version of each kind a decision read; 0 when the program had no data of that kind.
    public struct Versions: Sendable, Equatable, Hashable {
        public var definition: Int
        public var partners: Int
        public var exclusions: Int
        public var duplicates: Int

        public init(definition: Int, partners: Int, exclusions: Int, duplicates: Int) {
            self.definition = definition
            self.partners = partners
            self.exclusions = exclusions
            self.duplicates = duplicates
        }
    }

    /// First key of the program-data advisory locks (the two-key form, apart from the one-key
    /// locks of the queue and the lifecycle).
    static let lockClass: Int32 = 0x6270  // "bp"

    /// Takes the program's lock shared (until the transaction on `connection` ends) and returns
    /// the versions in force, which stay in force until then.
    public static func lockForDeciding(program: String, on connection: Connection) async throws -> Versions {
        try await connection.query("SELECT pg_advisory_xact_lock_shared($1, hashtext($2))", lockClass, program)
        return try await versions(program: program, on: connection)
    }

    /// Takes the program's lock exclusively (until the transaction on `connection` ends): running
    /// decisions of the program finish first, new ones wait for the change to commit.
    public static func lockForChange(program: String, on connection: Connection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", lockClass, program)
    }

    /// The latest version of each kind.
    public static func versions(program: String, on connection: Connection) async throws -> Versions {
        var versions = Versions(definition: 0, partners: 0, exclusions: 0, duplicates: 0)
        for row in try await connection.query(
            """
            SELECT kind, max(version) AS version FROM program_data_versions WHERE program = $1 GROUP BY kind
            """, program)
        {
            let version = try row.int("version")
            switch Kind(rawValue: try row.string("kind")) {
            case .definition: versions.definition = version
            case .partners: versions.partners = version
            case .exclusions: versions.exclusions = version
            case .duplicates: versions.duplicates = version
            case nil: break
            }
        }
        return versions
    }

    /// Appends a version of `kind` holding its data as it now stands on `connection` (call it
    /// after the change, under ``lockForChange(program:on:)``). Returns the new version.
    @discardableResult
    public static func recordChange(_ kind: Kind, program: String, change: String, on connection: Connection)
        async throws -> Int
    {
        try await connection.query(
            """
            INSERT INTO program_data_versions (program, kind, version, change, snapshot)
            SELECT $1, $2, coalesce(max(version), 0) + 1, $3, program_data_snapshot($1, $2)
            FROM program_data_versions WHERE program = $1 AND kind = $2
            RETURNING version
            """, program, kind.rawValue, change
        ).first!.int("version")
    }

    /// The data of `kind` as version `version` held it (canonical JSON text), or nil.
    public static func snapshot(_ kind: Kind, program: String, version: Int, on connection: Connection) async throws
        -> String?
    {
        try await connection.query(
            """
            SELECT snapshot FROM program_data_versions WHERE program = $1 AND kind = $2 AND version = $3
            """, program, kind.rawValue, version
        ).first?.string("snapshot")
    }
}
