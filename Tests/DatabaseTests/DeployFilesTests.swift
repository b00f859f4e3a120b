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
            let words = String(text[Range(match.range(at: 2), in: text)!]).split(whereSeparator: \.isWhitespace).map(
                String.init)
            found.append((program, words))
        }
        return found
    }

    private func variables(_ text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(DATABASE_URL|BURSAR_[A-Z_]+)\b"#)
        return Set(
            pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                String(text[Range($0.range, in: text)!])
            })
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
                #expect(
                    usage.contains(name + " ") || usage.contains(name + "\n") || usage.contains(name + "]"),
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
        #expect(
            !text.contains("ExecStartPre=/usr/local/bin/bursar db migrate"),
            "the worker role cannot migrate: the unit does not try")
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

    /// The words after `option` in the unit's `bursar console` command lines (commented ones too).
    private func consoleValues(of option: String, in unit: String) -> [String] {
        invocations(unit).filter { $0.words.first == "console" }.compactMap { invocation in
            invocation.words.firstIndex(of: option).flatMap { i in
                i + 1 < invocation.words.count ? invocation.words[i + 1] : nil
            }
        }
    }

    /// Issue 24: the console's unit names only options `bursar console` has, listens on loopback
    /// only, and runs as a user of its own under at least bursard's hardening.
    @Test func consoleUnitListensOnLoopbackAsItsOwnUser() throws {
        try checkInvocations(of: "bursar-console.service")
        let unit = try read("bursar-console.service")
        let listens = consoleValues(of: "--listen", in: unit)
        #expect(!listens.isEmpty, "the unit says where the console listens")
        for address in listens {
            #expect(address.hasPrefix("127.0.0.1:"), "the console listens on loopback only, not \(address)")
        }
        #expect(unit.contains("bursar_officer"), "the unit documents the officers' logins")
        #expect(unit.contains("DynamicUser=yes") && unit.contains("User=bursar-console\n"))
        #expect(!unit.contains("User=root") && !unit.contains("User=bursar\n"), "not root, not the workers' user")
        let hardening = [
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
            "ProtectKernelTunables=yes", "ProtectControlGroups=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
            "CapabilityBoundingSet=\n",
        ]
        for option in hardening {
            #expect(unit.contains(option), "bursar-console.service lacks \(option)")
        }
        let scaling = try read("SCALING.md")
        #expect(scaling.contains("stateless") && scaling.contains("bursar console"))
    }

    /// Issue 24: the proxy example terminates TLS with HSTS, forwards to the address the unit
    /// listens on, and sets the header `--trusted-header` names itself in both sign-in modes, so a
    /// copy sent by a browser never reaches the console.
    @Test func consoleProxySetsTheOfficerHeaderItself() throws {
        let unit = try read("bursar-console.service")
        let proxy = try read("console-proxy.nginx.conf")
        let header = try #require(consoleValues(of: "--trusted-header", in: unit).first)
        #expect(proxy.contains("proxy_set_header \(header) $officer;"), "single sign-on: the gateway's name")
        #expect(proxy.contains("# proxy_set_header \(header) \"\";"), "password logins: the header dropped")
        #expect(!proxy.contains("proxy_pass_request_headers off"))
        for listen in consoleValues(of: "--listen", in: unit) {
            #expect(proxy.contains("proxy_pass http://\(listen);"), "the proxy forwards to \(listen)")
        }
        #expect(proxy.contains("listen 443 ssl") && proxy.contains("ssl_certificate "))
        #expect(proxy.contains("add_header Strict-Transport-Security \"max-age="))
        #expect(proxy.contains("return 301 https://"), "plain HTTP only redirects")
        #expect(proxy.contains("loopback"), "the note that the console listens on loopback only")
    }

    /// Issue 27: every documented URL asks for TLS with a verified server (compose's container
    /// network excepted: its database has no certificate), and the HTTP bind address is written down.
    @Test func documentedURLsVerifyTheServer() throws {
        let readme = try String(
            contentsOf: TestDatabase.repository.appendingPathComponent("README.md"),
            encoding: .utf8)
        let documents = [
            ("bursard.service", try read("bursard.service")),
            ("bursar-payments.service", try read("bursar-payments.service")), ("README.md", readme),
            ("bursar-console.service", try read("bursar-console.service")),
        ]
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
