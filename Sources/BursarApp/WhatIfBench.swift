import ArgumentParser
import Benchmarks

/// `bursar bench whatif --applications N`: a what-if over N stored applications against the
/// validation baseline of the same batch (``WhatIfMeasurement``).
struct WhatIfBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif", abstract: "Benchmark what-if over N stored applications.",
        discussion: "Example: bursar bench whatif --applications 100000 --json")
    @Option(help: "Applications stored and decided before the what-if.") var applications = 100_000
    @Flag var json = false

    func validate() throws {
        guard applications >= 1 else { throw ValidationError("--applications takes a number of 1 or more") }
    }

    func run() async throws {
        var measurement = WhatIfMeasurement()
        measurement.applications = applications
        let result = try await Runner.withDatabase(poolSize: 8) { database in try await measurement.run(database) }
        BenchOutput.print(result, json: json)
    }
}
