import Foundation
import Postgres
import Screening

/// `bursar payments run`: records a month's payments in one transaction and, after it
/// commits, writes the run's bank-transfer file from the committed rows, on the machine that
/// asked for the run.
public enum PaymentRunner {
    /// A finished run.
    public struct Report: Sendable {
        public let record: PaymentStore.RunRecord
        public let bankFile: URL
        /// Files written for earlier runs whose process stopped between commit and file.
        public let recovered: [URL]
    }

    /// Runs `month` for `program` and writes its file into `folder`.
    ///
    /// One run of a program at a time, across processes: a session advisory lock is held from
    /// before the transaction until the file is written and recorded. Under it, a committed run
    /// without a file can only belong to a process that stopped; its file is written first,
    /// at the path the run recorded in its transaction (an existing file there is kept).
    ///
    /// With `zengin` (the transfer date), the run's file is the Zengin total-transfer file
    /// (interface §3) instead of the CSV.
    public static func run(program: String, month: YearMonth, folder: URL, database: Database,
                           zengin: CalendarDate? = nil) async throws -> Report {
        try await database.pool.withConnection { connection in
            let key = "payments:\(program)"
            try await connection.query("SELECT pg_advisory_lock(hashtext($1))", key)
            do {
                let report = try await locked(program: program, month: month, folder: folder, zengin: zengin,
                                              home: database.home, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(hashtext($1))", key)
                return report
            } catch {
                // A lost connection released the lock with its session.
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext($1))", key)
                throw error
            }
        }
    }

    private static func locked(program: String, month: YearMonth, folder: URL, zengin: CalendarDate?, home: URL,
                               on connection: Connection) async throws -> Report {
        var recovered: [URL] = []
        for orphan in try await PaymentStore.unwrittenRuns(program: program, on: connection) {
            // The file the run named, where it named it: when the stopped process wrote it
            // already (same host), it is kept as it is, never written a second time.
            try await writeFile(runID: orphan.id, program: program, month: orphan.month, to: orphan.bankFile,
                                home: home, on: connection)
            recovered.append(orphan.bankFile)
        }
        let (record, file) = try await connection.withTransaction { c in
            let record = try await PaymentStore.run(program: program, month: month, folder: folder, on: c)
            guard let zengin else { return (record, record.bankFile) }
            return (record, try await ZenginRunStore.record(runID: record.id, program: program, month: month,
                                                            transferDate: zengin, folder: folder,
                                                            codes: try ZenginData.codes(home: home), on: c))
        }
        try await writeFile(runID: record.id, program: program, month: month, to: file, home: home, on: connection)
        return Report(record: record, bankFile: file, recovered: recovered)
    }

    /// Writes a committed run's file from its committed rows and records it written: the Zengin
    /// file when the run recorded Zengin transfers, the CSV otherwise.
    private static func writeFile(runID: Int64, program: String, month: YearMonth, to file: URL, home: URL,
                                  on connection: Connection) async throws {
        let definition = try await ProgramStore.program(program, on: connection)
        let codes = try ZenginData.codes(home: home)
        let zengin = try await ZenginRunStore.file(runID: runID, program: definition, codes: codes, on: connection)
        let lines = zengin == nil ? try await PaymentStore.bankLines(runID: runID, on: connection) : []
        let text = BankTransferFile.text(lines)
        do {
            if let zengin {
                _ = try BankTransferFile.write(try zengin.encoded(), folder: file.deletingLastPathComponent(),
                                               name: file.lastPathComponent)
            } else {
                _ = try BankTransferFile.write(text, folder: file.deletingLastPathComponent(),
                                               name: file.lastPathComponent)
            }
        } catch {
            throw BursarError.setup("""
                the payments of run \(runID) (\(month)) are recorded, but its bank-transfer file could not be written: \(error). \
                Fix the folder and run `bursar payments run` again: it writes the missing file and pays nothing twice.
                """)
        }
        try await PaymentStore.recordBankFileWritten(runID: runID, on: connection)
    }
}
