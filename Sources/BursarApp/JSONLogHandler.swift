import Foundation
import Logging
import Screening

/// One JSON object per line on standard error (`bursard --log-format json`), for log
/// collectors: time, level, logger label, message and metadata. Messages and metadata are what
/// the code logs — job ids, kinds, counts, errors — never applicant data.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private static let lock = NSLock()

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var members: [(String, String)] = [
            ("time", JSONWriter.string(Self.timestamp())),
            ("level", JSONWriter.string(event.level.rawValue)),
            ("logger", JSONWriter.string(label)),
            ("message", JSONWriter.string(event.message.description)),
        ]
        members += fields.sorted { $0.key < $1.key }.map { ($0.key, JSONWriter.string($0.value.description)) }
        let line = Data((JSONWriter.object(members) + "\n").utf8)
        Self.lock.lock()
        defer { Self.lock.unlock() }
        FileHandle.standardError.write(line)
    }

    private static func timestamp() -> String {
        var formatter = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        formatter.timeZone = TimeZone(identifier: "UTC")!
        return Date().formatted(formatter)
    }
}
