import Foundation
import JobQueue
import Postgres
import Screening
import Store

/// The monthly payment run: records each scholarship's payment for the month (once), holds
/// flagged ones, and writes the bank-transfer CSV — in the transaction that completes the job.
public struct PaymentsWorker: JobHandler {
    public static let kind = JobKinds.payments
    let database: Database
    public init(database: Database) { self.database = database }

    public func run(_ job: JobRun<PaymentRunJob>) async throws {
        let args = job.arguments
        guard let month = YearMonth(iso: args.month) else { throw JobCancel(reason: "\(args.month) is not a YYYY-MM month") }
        let file = URL(fileURLWithPath: args.folder).appendingPathComponent("\(args.program)-\(args.month)-bank-transfer.csv")
        try await database.pool.withTransaction { connection in
            let (_, lines) = try await PaymentStore.run(program: args.program, month: month, bankFile: file.path, on: connection)
            if !lines.isEmpty {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                var text = "applicant_id,family_name,given_name,month,amount_yen\n"
                for line in lines { text += line.map(CSV.field).joined(separator: ",") + "\n" }
                // Write then rename: the file is whole or absent.
                let temporary = file.appendingPathExtension("partial")
                try text.write(to: temporary, atomically: false, encoding: .utf8)
                guard rename(temporary.path, file.path) == 0 else {
                    throw BursarError.setup("cannot write the bank file \(file.path)")
                }
            }
            try await job.complete(on: connection)
        }
    }
}
