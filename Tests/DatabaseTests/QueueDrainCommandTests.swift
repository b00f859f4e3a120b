import Foundation
import JobQueue
import Postgres
import Store
import Testing

/// Issue 13: "`bursar drain` never exits while a queue is paused, and prints nothing. It must
/// finish what is runnable and say what it left (paused queues, jobs scheduled later)."
@Suite(
    .enabled(
        if: !(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] ?? "").isEmpty,
        "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct QueueDrainCommandTests {
    @Test func drainSaysWhatItLeft() async throws {
        let database = try await TestDatabase.migrated()
        try await database.queue.setPaused(true, queue: "lifecycle")
        try await database.queue.enqueue(JobInsert(kind: "lifecycle.unknown", queue: "lifecycle"))
        try await database.queue.enqueue(
            JobInsert(kind: "payments.unknown", queue: "payments", scheduledAt: Date().addingTimeInterval(3600)))
        let started = ContinuousClock.now
        let result = try TestDatabase.bursar(["drain"], database: database)
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("left 1 job in paused queue lifecycle"), "\(result.output)")
        #expect(result.output.contains("left 1 job scheduled for later"), "\(result.output)")
        await database.close()
    }
}
