import Foundation
import Intake
import Partners
import Postgres
import Screening
import Store
import Submission
import Workers

/// `bursar bench pipeline --applications N`'s measurement: generates a batch with document
/// files, submits it, drains it through documents + screening + decision, and reports times and
/// peak RSS, with a baseline measured in the same run (validating the batch once, without a
/// database). It works in a program of its own (`bench-pipeline`, a copy of tgp-2026) whose data
/// it replaces.
public struct PipelineMeasurement: Sendable {
    /// Applications in the generated batch.
    public var applications = 100_000
    /// Worker slots on the applications queue.
    public var concurrency = 32
    /// The submission's progress lines (nil shows none).
    public var progress: (@Sendable (String?) -> Void)?

    /// The benchmark's own program.
    public static let program = "bench-pipeline"

    public init() {}

    /// The database pool the measurement needs: the worker slots and the submission's.
    public var poolSize: Int { concurrency + 8 }

    /// Generates the batch, measures the baseline, then runs the pipeline on `database`; returns
    /// the report's fields in order (name, JSON value).
    public func run(_ database: Database) async throws -> [(String, String)] {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bursar-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = try writeBatch(in: folder)
        let baselineSeconds = try Self.validationBaseline(batch)

        try await prepareProgram(database)
        // The workers run while the batch is submitted, as `bursard` does beside `bursar
        // submit`; once every record is stored they finish what is queued and stop.
        let supervisor = WorkerProcess.supervisor(database: database, concurrency: concurrency, drain: false)
        async let drained = supervisor.runToEnd()
        let submitStart = Date()
        let summary: SubmitSession.Summary
        do {
            let reader = try BatchReader(url: batch)
            summary = try await SubmitSession(
                database: database, reader: reader, path: batch.path,
                folder: folder.resolvingSymlinksInPath().path, program: nil, environmentProgram: nil,
                progress: progress
            ).run()
        } catch {
            supervisor.stop()
            _ = await drained
            throw error
        }
        let submitSeconds = Date().timeIntervalSince(submitStart)
        supervisor.stopWhenIdle()
        let completed = await drained.completed
        let totalSeconds = Date().timeIntervalSince(submitStart)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return [
            ("applications", String(applications)), ("accepted", String(summary.accepted)),
            ("jobs", String(completed)),
            ("submit_s", String(format: "%.2f", submitSeconds)), ("total_s", String(format: "%.2f", totalSeconds)),
            ("applications_per_s", String(format: "%.1f", Double(applications) / totalSeconds)),
            ("submit_share", String(format: "%.2f", submitSeconds / totalSeconds)),
            ("baseline_validate_s", String(format: "%.2f", baselineSeconds)),
            ("ratio_to_baseline", String(format: "%.2f", totalSeconds / baselineSeconds)),
            ("peak_rss_mb", String(format: "%.1f", Double(usage.ru_maxrss) / 1024)),
        ]
    }

    /// Writes the batch and its document files (one file a document type) in `folder`.
    private func writeBatch(in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        var hashes: [String: String] = [:]
        for type in SyntheticBatch.documentTypes {
            let bytes =
                Array("%PDF-1.4\n% bench \(type)\n".utf8) + (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try Data(bytes).write(to: folder.appendingPathComponent("docs/\(type).pdf"))
            hashes[type] = SHA256.hex(bytes)
        }
        let batch = folder.appendingPathComponent("batch.ndjson")
        _ = FileManager.default.createFile(atPath: batch.path, contents: nil)
        let handle = try FileHandle(forWritingTo: batch)
        for start in stride(from: 0, to: applications, by: 10_000) {
            let records = SyntheticBatch.records(
                start..<min(applications, start + 10_000), program: Self.program, hashes: hashes)
            handle.write(Data((records.joined(separator: "\n") + "\n").utf8))
        }
        try handle.close()
        return batch
    }

    /// The baseline, measured in the same run: reading and validating every record of the batch
    /// once on one core (parse, decode, canonical text, sha256) with no database — the least any
    /// pipeline must do. `ratio_to_baseline` is the end-to-end time over it.
    public static func validationBaseline(_ batch: URL) throws -> Double {
        let start = Date()
        let reader = try BatchReader(url: batch)
        var valid = 0
        while let item = try reader.next() {
            let value = try JSONParser.parse(item.bytes)
            if case .success = ApplicationDecoder.decode(value, defaultProgram: nil),
                !SHA256.hex(value.canonicalText.utf8).isEmpty
            {
                valid += 1
            }
        }
        guard valid > 0 else { throw BursarError.input("the generated batch holds no valid record") }
        return Date().timeIntervalSince(start)
    }

    /// A fresh `bench-pipeline` program: tgp-2026's definition and partner list, no data.
    private func prepareProgram(_ database: Database) async throws {
        try await BenchProgram.copy(as: Self.program, database: database) {
            // The previous run's rows are dead: vacuumed and analysed, the tables start each run as
            // a service's do before a program's first batch (statistics taken, the program empty).
            try await database.pool.withConnection { connection in
                try await BenchFixtures.emptyProgram(Self.program, on: connection)
            }
        }
    }
}
