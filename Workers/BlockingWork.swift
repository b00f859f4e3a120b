import Dispatch
import Foundation

/// Runs blocking file work (reading and hashing documents: up to 20 MiB each, 100 applications a
/// job) on threads of its own, never on Swift's cooperative pool, whose few threads would stall
/// every other task while a disk read blocks. At most `width` such bodies run at once; the
/// calling task suspends meanwhile.
enum BlockingWork {
    /// Enough to keep a disk busy without one thread per running job.
    static let width = max(2, ProcessInfo.processInfo.activeProcessorCount)
    private static let queue = DispatchQueue(label: "bursar.blocking-work", attributes: .concurrent)
    private static let slots = DispatchSemaphore(value: width)

    /// The result of `body`, run on a blocking-work thread.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async {
                slots.wait()
                defer { slots.signal() }
                continuation.resume(returning: body())
            }
        }
    }
}
