import Foundation
import Postgres
import Screening
import Store
import Testing
import Workers

/// Issue 27: the password is never on a command line nor echoed from libpq's errors; a document
/// this machine cannot read (too many open files) is a retry, never a decision.
@Suite("Secrets and read errors")
struct SecretsAndReadErrorsTests {
    @Test(
        "libpq's malformed-URI errors lose the password token",
        arguments: [
            (
                "postgresql://bursard:s3cret/x@127.0.0.1:5432/bursar",
                #"invalid integer value "s3cret" for connection option "port""#
            ),
            ("postgresql://bursard:s3c%zzret@127.0.0.1/bursar", #"invalid percent-encoded token: "s3c%zzret""#),
            (
                "postgresql://bursard:s3cret@[127.0.0.1/bursar",
                #"end of string reached when looking for matching "]" in IPv6 host address in URI: "#
                    + #""postgresql://bursard:s3cret@[127.0.0.1/bursar""#
            ),
            ("host=db password=s3cret port=x", #"invalid integer value "x" for connection option "port" (s3cret)"#),
        ])
    func scrubbed(url: String, message: String) {
        let scrubbed = ConnectionTarget.scrub(message, conninfo: url)
        #expect(!scrubbed.contains("s3c"), "\(scrubbed)")
        #expect(scrubbed.contains("…"))
    }

    @Test("a message without the password is left as it is")
    func unchangedWithoutPassword() {
        let message =
            #"connection to server at "127.0.0.1", port 5432 failed: "#
            + #"FATAL:  password authentication failed for user "bursard""#
        #expect(ConnectionTarget.scrub(message, conninfo: "postgresql://bursard:s3cret@127.0.0.1/bursar") == message)
    }

    @Test("bursar does not print the password of a malformed DATABASE_URL")
    func cliDoesNotEcho() throws {
        for url in [
            "postgresql://bursard:s3cret/x@127.0.0.1:1/bursar",
            "postgresql://bursard:s3c%zzret@127.0.0.1:1/bursar",
        ] {
            let result = try TestDatabase.run([TestDatabase.bursar, "status"], environment: ["DATABASE_URL": url])
            #expect(result.status != 0)
            #expect(!(result.output + result.error).contains("s3c"), "\(result.error)")
        }
    }

    @Test("bursard refuses a password on its command line and says where it goes")
    func bursardRefusesPasswordArgument() throws {
        let bursard = TestDatabase.repository.appendingPathComponent(".build/debug/bursard").path
        let url = "postgresql://bursard:s3cret@127.0.0.1:1/bursar"
        let result = try TestDatabase.run([bursard, "--database-url", url, "--http-port", "0"])
        #expect(result.status != 0)
        #expect(result.error.contains("PGPASSFILE"), "\(result.error)")
        #expect(!result.error.contains("s3cret"), "\(result.error)")
    }

    @Test("too many open files is a retry, not a document problem; a missing file is a problem")
    func exhaustedDescriptorsAreARetry() throws {
        let made = try ServiceAcceptanceTests.privateFolder()
        defer { try? FileManager.default.removeItem(at: made) }
        // The checker compares resolved paths: the folder as the file system names it.
        let folder = URL(fileURLWithPath: try #require(realpath(made.path, nil).map { String(cString: $0) }))
        let bytes = Array("%PDF-1.4\n% read error test\n".utf8)
        try Data(bytes).write(to: folder.appendingPathComponent("transcript.pdf"))
        let document = DocumentReference(type: .transcript, file: "transcript.pdf", sha256: SHA256.hex(bytes))
        #expect(try DocumentChecker.check(document, batchFolder: folder.path).problem == nil)
        let missing = DocumentReference(type: .transcript, file: "missing.pdf", sha256: SHA256.hex(bytes))
        let problem = try DocumentChecker.check(missing, batchFolder: folder.path).problem
        #expect(problem?.contains("does not exist") == true)

        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let saved = limit
        defer {
            var restore = saved
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restore)
        }
        // No descriptor left: the limit just above the highest open one, and every hole below filled.
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        let highest = open.compactMap { rlim_t($0) }.max() ?? 0
        limit.rlim_cur = highest + 1
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        var fillers: [Int32] = []
        while case let fd = Foundation.open("/dev/null", O_RDONLY), fd >= 0 { fillers.append(fd) }
        let outcome = Result { () throws(DocumentReadError) in
            try DocumentChecker.check(document, batchFolder: folder.path)
        }
        fillers.forEach { close($0) }
        var restore = saved
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restore)
        guard case .failure(let error) = outcome else {
            Issue.record("a check without file descriptors returned \(outcome) instead of failing the job")
            return
        }
        #expect(error.description.contains("retried"))
        #expect(!error.description.contains("transcript.pdf"), "the file name may hold the applicant's name")
    }
}
