import Foundation
import Postgres
import Screening

/// The data of `bench whatif`: a program of its own filled directly (no jobs), as a program in
/// service holds it — applications, document checks and a decision each.
public enum WhatIfBenchData {
    /// Removes the program's applications, checks and decisions (kept document-check versions
    /// stay: history is final).
    public static func clear(program: String, database: Database) async throws {
        try await database.pool.withTransaction { connection in
            for table in ["decisions", "document_checks", "applications", "applicants"] {
                try await connection.query("DELETE FROM \(table) WHERE program = $1", program)
            }
        }
    }

    /// Stores revision 1 of each application (`content`: its canonical JSON) with all its documents
    /// checked and usable.
    public static func store(program: String, applications: [(Application, String)], database: Database) async throws {
        try await database.pool.withTransaction { connection in
            _ = try await connection.copyIn(
                """
                COPY applicants (program, applicant_id, latest_revision, content_hash, birth_date, family_name, \
                given_name, citizenships)
                FROM STDIN
                """,
                rows: applications.map { app, content in
                    [
                        program, app.applicantID, "1", SHA256.hex(content.utf8), app.birthDate.description,
                        app.familyName, app.givenName,
                        TextArray(app.citizenships).postgresText,
                    ]
                })
            _ = try await connection.copyIn(
                """
                COPY applications (program, applicant_id, revision, content, content_hash, batch_dir, birth_date, \
                family_name,
                                   given_name, citizenships) FROM STDIN
                """,
                rows: applications.map { app, content in
                    [
                        program, app.applicantID, "1", content, SHA256.hex(content.utf8), "/bench",
                        app.birthDate.description, app.familyName,
                        app.givenName, TextArray(app.citizenships).postgresText,
                    ]
                })
            _ = try await connection.copyIn(
                "COPY document_checks (program, applicant_id, revision, checks) FROM STDIN",
                rows: applications.map { app, _ in
                    [
                        program, app.applicantID, "1",
                        DocumentCheck.json(
                            app.documents.map { DocumentCheck(type: $0.type, file: $0.file, problem: nil) }),
                    ]
                })
        }
    }

    /// Appends decisions as screening does.
    public static func decide(_ decisions: [DecisionStore.NewDecision], program: String, database: Database)
        async throws
    {
        try await database.pool.withTransaction { connection in
            try await DecisionStore.save(decisions, program: program, on: connection)
        }
    }
}
