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
        /// The run's file; nil when the run paid nothing new (no file is written then).
        public let bankFile: URL?
        /// Files written for earlier runs whose process stopped between commit and file.
        public let recovered: [URL]
    }

    /// Runs `month` for `program` and writes its file into `folder`.
    ///
    /// One run of a program at a time, across processes: a session advisory lock is held from
    /// before the transaction until the file is written and recorded. Under it, a committed run
    /// without a file can only belong to a process that stopped; its file is written again first,
    /// from its committed rows, under its own name in this run's folder (never at a stored path).
    public static func run(program: String, month: YearMonth, folder: URL, database: Database) async throws -> Report {
        let folder = try BankTransferFile.checkFolder(folder)
        return try await database.pool.withConnection { connection in
            let key = "payments:\(program)"
            try await connection.query("SELECT pg_advisory_lock(hashtext($1))", key)
            do {
                let report = try await locked(program: program, month: month, folder: folder, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(hashtext($1))", key)
                return report
            } catch {
                // A lost connection released the lock with its session.
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext($1))", key)
                throw error
            }
        }
    }

    private static func locked(program: String, month: YearMonth, folder: URL, on connection: Connection) async throws -> Report {
        var recovered: [URL] = []
        for orphan in try await PaymentStore.unwrittenRuns(program: program, on: connection) {
            let name = BankTransferFile.name(program: program, month: orphan.month.description, runID: orphan.id)
            let file = try await writeFile(runID: orphan.id, month: orphan.month, on: connection) {
                text throws(BursarError) in try BankTransferFile.rewrite(text, folder: folder, name: name)
            }
            recovered.append(file)
        }
        // The new run's file is created (empty, exclusively) inside its transaction: a name
        // already taken refuses the run before anything is paid.
        let reserved = ReservedFile()
        let record: PaymentStore.RunRecord
        do {
            record = try await connection.withTransaction { transaction in
                let record = try await PaymentStore.run(program: program, month: month, folder: folder, on: transaction)
                if !record.paid.isEmpty {
                    let name = record.bankFile.lastPathComponent
                    reserved.file = try BankTransferFile.reserve(folder: folder, name: name)
                }
                return record
            }
        } catch {
            reserved.file?.abandon()
            throw error
        }
        guard let file = reserved.file else { return Report(record: record, bankFile: nil, recovered: recovered) }
        let written = try await writeFile(runID: record.id, month: month, on: connection) { text throws(BursarError) in
            try file.finish(text)
            return file.url
        }
        return Report(record: record, bankFile: written, recovered: recovered)
    }

    /// Writes a committed run's file from its committed rows (with `write`) and records it written.
    private static func writeFile(runID: Int64, month: YearMonth, on connection: Connection,
                                  _ write: (String) throws(BursarError) -> URL) async throws -> URL {
        let lines = try await PaymentStore.bankLines(runID: runID, on: connection)
        let file: URL
        do {
            file = try write(BankTransferFile.text(lines))
        } catch {
            throw BursarError.setup("""
                the payments of run \(runID) (\(month)) are recorded, but its bank-transfer file could not be written: \(error). \
                Fix the folder and run `bursar payments run` again: it writes the missing file and pays nothing twice.
                """)
        }
        try await PaymentStore.recordBankFileWritten(runID: runID, on: connection)
        return file
    }
}

/// The file a run reserved inside its transaction, kept outside it so that a failed commit can
/// remove it. Used by one task at a time (the run's).
private final class ReservedFile: @unchecked Sendable {
    var file: PrivateFile?
}
