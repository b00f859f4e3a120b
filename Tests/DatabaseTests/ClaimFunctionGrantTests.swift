import Foundation
import Postgres
import Store
import Testing

/// Issue 22, item 8: the claim function has a pinned `search_path`, belongs to `bursar_owner`,
/// and is executable by the worker role by an explicit grant, not through PUBLIC.
@Suite(
    .enabled(
        if: !(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] ?? "").isEmpty,
        "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct ClaimFunctionGrantTests {
    @Test func claimFunctionHasItsSearchPathOwnerAndGrant() async throws {
        let database = try await TestDatabase.migrated()
        let row = try await database.pool.withConnection {
            try await $0.query(
                """
                SELECT array_to_string(p.proconfig, ';') AS settings, pg_get_userbyid(p.proowner) AS owner,
                       has_function_privilege('bursar_worker', p.oid, 'EXECUTE') AS worker,
                       coalesce(array_to_string(p.proacl, ';'), '') AS acl
                FROM pg_proc p WHERE p.proname = 'bursar_claim' AND p.pronamespace = 'public'::regnamespace
                """
            ).first!
        }
        #expect(try row.string("settings").contains("search_path=pg_catalog, public, pg_temp"))
        #expect(try row.string("owner") == "bursar_owner")
        #expect(try row.bool("worker"))
        let acl = try row.string("acl")
        // No ACL at all means the default: EXECUTE for PUBLIC.
        #expect(
            !acl.isEmpty && !acl.split(separator: ";").contains { $0.hasPrefix("=") }, "PUBLIC has no EXECUTE: \(acl)")
        await database.close()
    }
}
