import ArgumentParser
import Benchmarks
import Formats

/// `bursar bench queue --jobs N [--retained M]`: the queue against a raw SQL ceiling measured in
/// the same run (``QueueMeasurement`` says how).
struct QueueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Benchmark the job queue against a raw SQL ceiling.",
        discussion: "Example: bursar bench queue --jobs 100000 --retained 1000000 --json")
    @Option(help: "Jobs per measurement.") var jobs = 100_000
    @Option(help: "Worker slots for the processing measurement.") var concurrency = 200
    @Option(help: "Jobs per claim in the raw SQL ceiling.") var batch = 100
    @Option(help: "Finished jobs the table holds during the measurement (spec §6).") var retained = 0
    /// Five by default: on these machines one build's ratio ranged 0.64–0.85 over single runs of
    /// three rounds; the median of five moves less with one slow round.
    @Option(help: "Measurements of the queue and of the ceiling, interleaved; the ratio is the median of their ratios.")
    var rounds = 5
    @Flag(help: "Print as JSON (interface §6).") var json = false

    func validate() throws {
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds takes a number from 1 to 20") }
        guard jobs >= 1 else { throw ValidationError("--jobs takes a number of 1 or more") }
    }

    func run() async throws {
        var measurement = QueueMeasurement()
        measurement.jobs = jobs
        measurement.concurrency = concurrency
        measurement.batch = batch
        measurement.retained = retained
        measurement.rounds = rounds
        let result = try await Runner.withDatabase(poolSize: 16) { database in try await measurement.run(database) }
        BenchOutput.print(result, json: json)
    }
}
