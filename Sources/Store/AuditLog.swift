import Postgres
import Screening

/// Who did what, without personal data: actions, program, applicant id and counts.
public enum AuditLog {
    public static func record(on connection: Connection, action: String, program: String?, applicantID: String? = nil,
                              detail: [String: String] = [:]) async throws {
        let json = JSONWriter.object(detail.sorted { $0.key < $1.key }.map { ($0.key, JSONWriter.string($0.value)) })
        try await connection.query("INSERT INTO audit_log (action, program, applicant_id, detail) VALUES ($1, $2, $3, $4::jsonb)",
                                   action, program, applicantID, JSONText(json))
    }
}
