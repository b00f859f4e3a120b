import Foundation
import Postgres
import Store
import Testing

/// Grants by need (issue 27, migration 035, docs/security.md): every table has an explicit
/// decision for bursar_worker and bursar_officer, and the database holds exactly that. A table
/// that another change adds without a decision fails here by name (nothing is granted by
/// default since 035: such a table is closed to both roles until a migration grants it).
@Suite("Grants by need", .enabled(if: databaseAvailable, "needs scripts/test.sh"))
struct GrantsByNeedTests {
    /// Table → the privileges of each role, as the query below spells them: whole-table
    /// privileges, and `PRIVILEGE(columns)` for column grants, sorted; "" for none.
    static let decisions: [String: (worker: String, officer: String)] = [
        // The console's sessions (057): only its own login, bursar_console, reads and writes them.
        "console_sessions": (worker: "", officer: ""),
        "applicants": (
            worker: "SELECT UPDATE(latest_revision)",
            officer: "INSERT SELECT UPDATE(birth_date,citizenships,content_hash,family_name,"
                + "given_name,latest_revision,name_key)"
        ),
        "applications": (
            worker: "SELECT",
            officer: "INSERT SELECT"
        ),
        "audit_log": (
            worker: "INSERT(action,actor,applicant_id,detail,os_user,program,reason)",
            officer: "INSERT(action,actor,applicant_id,detail,os_user,program,reason) SELECT"
        ),
        // Bank accounts (047): the numbers are the officer's alone.
        "bank_account_numbers": (
            worker: "",
            officer: "INSERT SELECT"
        ),
        "bank_accounts": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE"
        ),
        "bursar_jobs": (
            worker: "DELETE INSERT SELECT UPDATE",
            officer: "DELETE INSERT SELECT UPDATE"
        ),
        "bursar_leaders": (
            worker: "DELETE INSERT SELECT UPDATE",
            officer: "SELECT"
        ),
        "bursar_queue_migrations": (
            worker: "SELECT",
            officer: "SELECT"
        ),
        "bursar_queues": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE(paused,updated_at)"
        ),
        "bursar_workers": (
            worker: "DELETE INSERT SELECT UPDATE",
            officer: "SELECT"
        ),
        "decisions": (
            worker: "INSERT(applicant_id,categories,conditions,definition_version,documents_version,"
                + "duplicate_hits,duplicates_version,exclusions_version,failed,gpa,id,institution,"
                + "institution_country,outcome,partner_key,partner_uncertain,partners_version,program,review,"
                + "revision,rule_set,trace) SELECT",
            officer: "SELECT"
        ),
        // Every document check kept by version (050): written by the trigger on document_checks.
        "document_check_versions": (
            worker: "INSERT SELECT",
            officer: "SELECT"
        ),
        "document_checks": (
            worker: "INSERT(applicant_id,checks,program,revision) SELECT UPDATE(checked_at,checks)",
            officer: "SELECT"
        ),
        "duplicate_resolutions": (
            worker: "SELECT",
            officer: "DELETE INSERT SELECT UPDATE(kept,resolved_at)"
        ),
        "exclusion_entries": (
            worker: "SELECT",
            officer: "DELETE INSERT SELECT"
        ),
        "exclusion_lists": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE(entries,imported_at,source)"
        ),
        "flag_actions": (
            worker: "INSERT(action,applicant_id,decision_id,flag,month,program,reason) SELECT",
            officer: "INSERT(action,applicant_id,decision_id,flag,month,program,reason) SELECT"
        ),
        "lifecycle_events": (
            worker: "SELECT UPDATE(decision_id,effect,message,processed_at,retracted_by,status,void_from)",
            officer: "INSERT(applicant_id,body,event_id,program,type) SELECT"
        ),
        "partner_decisions": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE(decided_at,partner,reason,spelling)"
        ),
        "partner_lists": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE(imported_at,partners,source)"
        ),
        "partners": (
            worker: "SELECT",
            officer: "DELETE INSERT SELECT"
        ),
        "payment_runs": (
            worker: "",
            officer: "INSERT(held,month,paid,program,total_yen) SELECT UPDATE(bank_file,due,held,paid,"
                + "total_yen,voided,written_at)"
        ),
        "payments": (
            worker: "SELECT",
            officer: "INSERT(amount_yen,applicant_id,month,paid_at,program,reason,run_id,run_month,"
                + "status) SELECT UPDATE(paid_at,reason,run_id,run_month,status)"
        ),
        "program_data_versions": (
            worker: "SELECT",
            officer: "INSERT SELECT"
        ),
        "programs": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE"
        ),
        "returned_transfers": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE"
        ),
        "schema_migrations": (
            worker: "SELECT",
            officer: "SELECT"
        ),
        "scholarships": (
            worker: "INSERT SELECT UPDATE(state,status,updated_at)",
            officer: "INSERT SELECT UPDATE(state,status,updated_at)"
        ),
        "zengin_runs": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE"
        ),
        "zengin_transfers": (
            worker: "SELECT",
            officer: "INSERT SELECT UPDATE"
        ),
    ]

    @Test("each table's grants are the written decision, for each role")
    func grantsAreTheWrittenDecisions() async throws {
        let database = try await TestDatabase.migrated()
        let rows = try await database.pool.withConnection { connection in
            try await connection.query(
                """
                WITH t AS (
                  SELECT c.oid, c.relname, c.relacl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                ), r AS (SELECT unnest(ARRAY['bursar_worker', 'bursar_officer']) AS role),
                tab AS (
                  SELECT t.relname, r.role, a.privilege_type AS p
                  FROM t CROSS JOIN r CROSS JOIN LATERAL aclexplode(t.relacl) a
                  WHERE t.relacl IS NOT NULL AND a.grantee = r.role::regrole
                ), col AS (
                  SELECT t.relname, r.role,
                         a.privilege_type || '(' || string_agg(att.attname, ',' ORDER BY att.attname) || ')' AS p
                  FROM t CROSS JOIN r
                  JOIN pg_attribute att ON att.attrelid = t.oid AND att.attnum > 0 AND NOT att.attisdropped
                  CROSS JOIN LATERAL aclexplode(att.attacl) a
                  WHERE att.attacl IS NOT NULL AND a.grantee = r.role::regrole
                  GROUP BY t.relname, r.role, a.privilege_type
                )
                SELECT t.relname AS table_name, r.role,
                       coalesce((SELECT string_agg(p, ' ' ORDER BY p) FROM (
                           SELECT p FROM tab WHERE tab.relname = t.relname AND tab.role = r.role
                           UNION ALL SELECT p FROM col WHERE col.relname = t.relname AND col.role = r.role) x),
                                '') AS privileges
                FROM t CROSS JOIN r ORDER BY 1, 2 DESC
                """)
        }
        var undecided: Set<String> = []
        for row in rows {
            let table = try row.string("table_name")
            let role = try row.string("role")
            guard let decision = Self.decisions[table] else {
                undecided.insert(table)
                continue
            }
            let expected = role == "bursar_worker" ? decision.worker : decision.officer
            #expect(try row.string("privileges") == expected, "\(role) on \(table)")
        }
        #expect(
            undecided.isEmpty,
            """
            tables without a grant decision (grant by migration, write them in docs/security.md and here): \
            \(undecided.sorted())
            """)
        let tables = Set(try rows.map { try $0.string("table_name") })
        #expect(Set(Self.decisions.keys).subtracting(tables).isEmpty, "decided tables that do not exist")
        await database.close()
    }
}
