import Foundation
import Testing

/// Found while mending: `bursar bench whatif` could run once per database. It replaces the
/// decisions of its own program (`bench-whatif`) each run, and the append-only trigger on
/// `decisions` exempted only `bench-pipeline`: the second run stopped with "decisions is
/// append-only: DELETE is refused".
@Suite("Benchmarks run again on the same database", .enabled(if: databaseAvailable))
struct BenchRerunTests {
    @Test("bench whatif runs twice")
    func whatIfRunsTwice() async throws {
        let database = try await TestDatabase.migrated()
        for round in 1...2 {
            let run = try TestDatabase.bursar(
                ["bench", "whatif", "--applications", "30", "--json"], database: database)
            #expect(run.status == 0, "run \(round): \(run.error)")
            #expect(run.output.contains("\"applications\": 30"), "run \(round): \(run.output)")
        }
        await database.close()
    }
}
