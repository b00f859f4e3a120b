import Console
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import Testing

extension ConsoleHTTPTests {
    /// The month's payments page links each run's bank file by run id; an officer downloads it as
    /// an attachment, not cached, made from the run's rows (the CSV `payments run` writes), and
    /// the download is audited with the officer's role. Signed out: sent to the sign-in page.
    @Test func bankFileDownload() async throws {
        let setup = try await Self.setup()
        let server = try await Self.server(setup)
        let program = try await ProgramStore(database: setup.database).programIDs()[0]
        try await ConsoleSeed.applicants(2, program: program, prefix: "P-", on: setup.database)
        let run = try await ConsoleSeed.paidRun(
            program: program, month: "2026-04", applicantIDs: ["P-000001", "P-000002"], yen: 150_000,
            on: setup.database)
        let path = "/payments/2026-04/files/\(run)"
        try await server.application(logger: Logger(label: "test")).test(.live) { client in
            let anonymous = try await client.execute(uri: path, method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login")
            #expect(anonymous.body.readableBytes == 0)

            let (cookies, _) = try await Self.signIn(client, setup)
            let month = String(
                buffer: try await client.execute(uri: "/payments/2026-04", method: .get, headers: cookies).body)
            #expect(month.contains("href=\"\(path)\""))
            #expect(month.contains("\(program)-2026-04-run\(run)-bank-transfer.csv"))

            let file = try await client.execute(uri: path, method: .get, headers: cookies)
            #expect(file.status == .ok)
            #expect(
                file.headers[.contentDisposition]
                    == "attachment; filename=\"\(program)-2026-04-run\(run)-bank-transfer.csv\"")
            #expect(file.headers[.cacheControl] == "no-store")
            #expect(file.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(
                String(buffer: file.body) == """
                    \(BankTransferFile.header)
                    P-000001,Family000001,Given000001,2026-04,150000
                    P-000002,Family000002,Given000002,2026-04,150000

                    """)
            let audit = try await setup.database.pool.withConnection {
                try await $0.query(
                    "SELECT db_role, detail->>'run' AS run FROM audit_log WHERE action = 'payments.file_downloaded'")
            }
            #expect(audit.count == 1)
            #expect(try audit.first?.string("db_role") == setup.officer)
            #expect(try audit.first?.string("run") == String(run))

            // Another month's path, an unknown run, a run id that is not a number: nothing.
            for other in [
                "/payments/2026-05/files/\(run)", "/payments/2026-04/files/\(run + 1)", "/payments/2026-04/files/x",
            ] {
                let refused = try await client.execute(uri: other, method: .get, headers: cookies)
                #expect(refused.status == .notFound, "\(other)")
                #expect(refused.headers[.contentDisposition] == nil)
            }
        }
        await server.close()
        await setup.database.close()
    }
}
