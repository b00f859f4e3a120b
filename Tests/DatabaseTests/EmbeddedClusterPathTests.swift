import Foundation
import Testing

@testable import Store

/// Issue 27: the embedded cluster works from a folder whose name holds a quote, and as root it
/// lives under /var/lib/bursar, never under /tmp (which boot cleaning empties).
@Suite("Embedded cluster paths")
struct EmbeddedClusterPathTests {
    @Test("connection-string and configuration values are quoted")
    func quoting() {
        #expect(EmbeddedPostgres.conninfoValue(#"/home/o'brien/a b\c"#) == #"'/home/o\'brien/a b\\c'"#)
        #expect(EmbeddedPostgres.configurationValue(#"/home/o'brien/a b"#) == #"'/home/o''brien/a b'"#)
    }

    @Test("bursar runs the embedded cluster from a folder named with a quote")
    func quoteInWorkingDirectory() throws {
        let base = try ServiceAcceptanceTests.privateFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("it's here")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let environment = ["DATABASE_URL": "", "BURSAR_HOME": TestDatabase.repository.path]
        let inFolder = ["/usr/bin/env", "-u", "DATABASE_URL", "-C", folder.path, TestDatabase.bursar]
        let status = try TestDatabase.run(inFolder + ["status"], environment: environment)
        #expect(status.status == 0, "\(status.error)")
        let pointer = try? String(contentsOf: folder.appendingPathComponent(".bursar/cluster"), encoding: .utf8)
        if geteuid() == 0 {
            #expect(pointer?.hasPrefix(EmbeddedPostgres.rootParent + "/") == true, "\(pointer ?? "no pointer")")
        }
        let stopped = try TestDatabase.run(inFolder + ["db", "stop"], environment: environment)
        #expect(stopped.status == 0, "\(stopped.error)")
        if let pointer {
            try? FileManager.default.removeItem(atPath: pointer.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
