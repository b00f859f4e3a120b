import ArgumentParser
import Benchmarks
import Foundation

/// `bursar bench pipeline --applications N`: submit → documents → screening → decision against
/// the single-core validation baseline of the same run (``PipelineMeasurement`` says how).
struct PipelineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Benchmark submit → documents → screening → decision "
            + "(workers run while the batch is submitted).",
        discussion: "Example: bursar bench pipeline --applications 100000 --json")
    @Option var applications = 100_000
    @Option(help: "Worker slots on the applications queue.") var concurrency = 32
    @Flag var json = false

    func run() async throws {
        var measurement = PipelineMeasurement()
        measurement.applications = applications
        measurement.concurrency = concurrency
        if isatty(2) == 1 { measurement.progress = { CLI.progress($0) } }
        let result = try await Runner.withDatabase(poolSize: measurement.poolSize) { database in
            try await measurement.run(database)
        }
        BenchOutput.print(result, json: json)
    }
}
