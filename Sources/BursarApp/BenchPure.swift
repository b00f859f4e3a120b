import ArgumentParser
import Benchmarks

/// `bursar bench screening`: screening one application against decoding it
/// (``ScreeningMeasurement``).
struct ScreeningBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screening", abstract: "Benchmark screening one application (pure, no database).",
        discussion: "Example: bursar bench screening --applications 100000 --json")
    @Option(help: "Applications generated and screened.") var applications = 100_000
    @Flag var json = false

    func validate() throws {
        guard applications >= 1 else { throw ValidationError("--applications takes a number of 1 or more") }
    }

    func run() throws {
        var measurement = ScreeningMeasurement()
        measurement.applications = applications
        BenchOutput.print(try measurement.run(), json: json)
    }
}

/// `bursar bench partners`: matching one institution name against an exact lookup
/// (``PartnersMeasurement``).
struct PartnersBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partners", abstract: "Benchmark matching one institution name.",
        discussion: "Example: bursar bench partners --rounds 20 --json")
    @Option(help: "Passes over the evaluation set.") var rounds = 20
    @Flag var json = false

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds takes a number of 1 or more") }
    }

    func run() throws {
        var measurement = PartnersMeasurement()
        measurement.rounds = rounds
        BenchOutput.print(try measurement.run(), json: json)
    }
}
