import Foundation
import Testing

/// `deploy/compose.yaml` and `deploy/bursard.service` reference only binaries, flags and
/// environment variables the CLI has (no container engine or systemd runs here: the files are
/// read and checked against `--help`).
@Suite struct DeployFilesTests {
    static let deploy = TestDatabase.repository.appendingPathComponent("deploy")
    static let bursard = TestDatabase.repository.appendingPathComponent(".build/debug/bursard").path

    private func read(_ name: String) throws -> String {
        try String(contentsOf: Self.deploy.appendingPathComponent(name), encoding: .utf8)
    }

    private func help(_ argv: [String]) throws -> String {
        let result = try TestDatabase.run(argv + ["--help"])
        #expect(result.status == 0, "\(argv.joined(separator: " ")) --help: \(result.error)")
        return result.output
    }

    /// Every `/usr/local/bin/bursar…` command line of `text`: the program and its words up to a
    /// shell operator or the end of the line.
    private func invocations(_ text: String) -> [(program: String, words: [String])] {
        var found: [(String, [String])] = []
        let pattern = try! NSRegularExpression(pattern: #"/usr/local/bin/(bursard?)((?:[ \t]+[^ \t\n"&;|\]]+)*)"#)
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let program = String(text[Range(match.range(at: 1), in: text)!])
            let words = String(text[Range(match.range(at: 2), in: text)!]).split(whereSeparator: \.isWhitespace).map(String.init)
            found.append((program, words))
        }
        return found
    }

    private func variables(_ text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(DATABASE_URL|BURSAR_[A-Z_]+)\b"#)
        return Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) })
    }

    /// Checks each invocation's subcommands and flags against the matching `--help`.
    private func checkInvocations(of file: String) throws {
        let text = try read(file)
        let found = invocations(text)
        #expect(!found.isEmpty, "\(file) starts a Bursar program")
        for (program, words) in found {
            let binary = program == "bursard" ? Self.bursard : TestDatabase.bursar
            #expect(FileManager.default.isExecutableFile(atPath: binary))
            let subcommands = words.prefix { !$0.hasPrefix("-") }
            let usage = try help([binary] + subcommands)
            for flag in words where flag.hasPrefix("--") {
                let name = String(flag.split(separator: "=")[0])
                #expect(usage.contains(name + " ") || usage.contains(name + "\n") || usage.contains(name + "]"),
                        "\(file): \(program) \(subcommands.joined(separator: " ")) has no option \(name)")
            }
        }
        let environment = try help([Self.bursard])
        for variable in variables(text) {
            #expect(environment.contains(variable), "\(file) sets \(variable), which bursard --help does not name")
        }
    }

    @Test func composeReferencesOnlyWhatTheCLIHas() throws {
        try checkInvocations(of: "compose.yaml")
        let text = try read("compose.yaml")
        #expect(text.contains("replicas: 2"))
        #expect(text.contains("/readyz"), "the bursard replicas are health-checked on /readyz")
        #expect(!text.contains("postgresql://bursar@"), "every DATABASE_URL carries a password")
        #expect(text.contains("$$(cat /run/secrets/worker_password)"), "bursard logs in with the worker secret")
    }

    @Test func systemdUnitReferencesOnlyWhatTheCLIHas() throws {
        try checkInvocations(of: "bursard.service")
        let text = try read("bursard.service")
        #expect(text.contains("bursar_worker"), "the unit documents its worker login")
        #expect(!text.contains("ExecStartPre=/usr/local/bin/bursar db migrate"), "the worker role cannot migrate: the unit does not try")
        #expect(text.contains("--http-port"))
    }

    /// The payment run is an officer's command: its unit logs in as the officer, never as the
    /// workers' login, and names only options `bursar payments run` has.
    @Test func paymentTimerRunsAsTheOfficer() throws {
        try checkInvocations(of: "bursar-payments.service")
        let text = try read("bursar-payments.service")
        #expect(text.contains("bursar_officer") && text.contains("bursar_cli@"), "the unit documents its officer login")
        #expect(!text.contains("EnvironmentFile=/etc/bursar/env\n"), "not the workers' environment (their login)")
        let roles = try read("roles.sql")
        #expect(roles.contains("CREATE ROLE bursar_cli LOGIN IN ROLE bursar_officer"))
    }

    /// Issue 27: every documented URL asks for TLS with a verified server (compose's container
    /// network excepted: its database has no certificate), and the HTTP bind address is written down.
    @Test func documentedURLsVerifyTheServer() throws {
        let readme = try String(contentsOf: TestDatabase.repository.appendingPathComponent("README.md"),
                                encoding: .utf8)
        let documents = [("bursard.service", try read("bursard.service")),
                         ("bursar-payments.service", try read("bursar-payments.service")), ("README.md", readme)]
        for (name, text) in documents {
            let pattern = try NSRegularExpression(pattern: #"postgres(ql)?://[^\s'"`]+"#)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let url = String(text[Range(match.range, in: text)!])
                #expect(url.contains("sslmode=verify-full"), "\(name): \(url)")
            }
        }
        #expect(readme.contains("127.0.0.1") && readme.contains("docs/security.md"))
        #expect(try read("SCALING.md").contains("docs/security.md"))
        #expect(try read("postgresql.conf").contains("log_statement = 'ddl'"))
    }
}

