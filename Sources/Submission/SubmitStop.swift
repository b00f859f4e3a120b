import Dispatch
import Foundation

/// SIGINT or SIGTERM during a submission: instead of dying with a chunk half sent, the command
/// stops reading at the next record, lets the chunk being stored commit (one chunk is one
/// transaction), says what was stored, writes its audit row and exits 128 + the signal.
public final class SubmitStop: @unchecked Sendable {
    private let lock = NSLock()
    private var caught: Int32?
    private var sources: [DispatchSourceSignal] = []

    /// Catches SIGINT and SIGTERM from now on (the default action would kill the process).
    public init() {
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.caught(number) }
            source.resume()
            sources.append(source)
        }
    }

    private func caught(_ number: Int32) {
        lock.withLock { if caught == nil { caught = number } }
    }

    /// The first signal caught, if any.
    public var signal: Int32? { lock.withLock { caught } }

    /// The signal's name, for the summary and the audit row.
    public static func name(_ number: Int32) -> String { number == SIGINT ? "SIGINT" : "SIGTERM" }
}
