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
    ///
    /// With `zengin` (the transfer date), the run's file is the Zengin total-transfer file
    /// (interface §3) instead of the CSV.
    public static func run(
        program: String, month: YearMonth, folder: URL, database: Database,
        zengin: CalendarDate? = nil
    ) async throws -> Report {
        let folder = try BankTransferFile.checkFolder(folder)
        return try await database.pool.withConnection { connection in
            let key = "payments:\(program)"
            try await connection.query("SELECT pg_advisory_lock(hashtext($1))", key)
            do {
                let report = try await locked(
                    program: program, month: month, folder: folder, zengin: zengin,
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

    private static func locked(
        program: String, month: YearMonth, folder: URL, zengin: CalendarDate?, home: URL,
        on connection: Connection
    ) async throws -> Report {
        var recovered: [URL] = []
        for orphan in try await PaymentStore.unwrittenRuns(program: program, on: connection) {
            let file = try await writeFile(
                runID: orphan.id, program: program, month: orphan.month, home: home,
                on: connection
            ) { name, bytes throws(BursarError) in
                try BankTransferFile.rewrite(bytes, folder: folder, name: name)
            }
            recovered.append(file)
        }
        // The new run's file is created (empty, exclusively) inside its transaction: a name
        // already taken refuses the run before anything is paid.
        let reserved = ReservedFile()
        let record: PaymentStore.RunRecord
        do {
            record = try await connection.withTransaction { transaction in
                let record = try await PaymentStore.run(
                    program: program, month: month, folder: folder,
                    on: transaction)
                guard !record.paid.isEmpty else { return record }
                var name = record.bankFile.lastPathComponent
                if let zengin {
                    let codes = try ZenginData.codes(home: home)
                    let file = try await ZenginRunStore.record(
                        runID: record.id, program: program, month: month,
                        transferDate: zengin, folder: folder, codes: codes,
                        on: transaction)
                    name = file.lastPathComponent
                }
                reserved.file = try BankTransferFile.reserve(folder: folder, name: name)
                return record
            }
        } catch {
            reserved.file?.abandon()
            throw error
        }
        guard let file = reserved.file else { return Report(record: record, bankFile: nil, recovered: recovered) }
        let written = try await writeFile(
            runID: record.id, program: program, month: month, home: home,
            on: connection
        ) { _, bytes throws(BursarError) in
            try file.finish(bytes)
            return file.url
        }
        return Report(record: record, bankFile: written, recovered: recovered)
    }

    /// Writes a committed run's file from its committed rows (with `write`, given the file's own
    /// name and its bytes) and records it written: the Zengin file when the run recorded Zengin
    /// transfers, the CSV otherwise.
    private static func writeFile(
        runID: Int64, program: String, month: YearMonth, home: URL,
        on connection: Connection,
        _ write: (String, [UInt8]) throws(BursarError) -> URL
    ) async throws -> URL {
        let (name, bytes) = try await file(runID: runID, program: program, month: month, home: home, on: connection)
        let file: URL
        do {
            file = try write(name, bytes)
        } catch {
            throw BursarError.setup(
                """
                the payments of run \(runID) (\(month)) are recorded, but its bank-transfer file could not be \
                written: \(error). Fix the folder and run `bursar payments run` again: it writes the missing file \
                and pays nothing twice.
                """)
        }
        try await PaymentStore.recordBankFileWritten(runID: runID, on: connection)
        return file
    }
}

extension PaymentRunner {
    /// A committed run's bank file as its rows make it (the file's own name, and its bytes): the
    /// Zengin file when the run recorded Zengin transfers, the CSV otherwise. What a run writes,
    /// and what the officers' console hands an officer (it reads no path stored anywhere).
    /// A Zengin file reads account numbers: officer role only.
    public static func file(
        runID: Int64, program: String, month: YearMonth, home: URL,
        on connection: Connection
    ) async throws -> (name: String, bytes: [UInt8]) {
        if let zengin = try await ZenginRunStore.file(runID: runID, program: program, home: home, on: connection) {
            return (
                ZenginRunStore.fileName(program: program, month: month.description, runID: runID),
                try zengin.encoded()
            )
        }
        let lines = try await PaymentStore.bankLines(runID: runID, on: connection)
        return (
            BankTransferFile.name(program: program, month: month.description, runID: runID),
            Array(BankTransferFile.text(lines).utf8)
        )
    }
}

/// The file a run reserved inside its transaction, kept outside it so that a failed commit can
/// remove it. Used by one task at a time (the run's).
private final class ReservedFile: @unchecked Sendable {
    var file: PrivateFile?
}
