import ArgumentParser
import BursarApp
import Testing

/// Every command an officer can see shows an example in its help (`bursar COMMAND --help`).
@Suite("Help examples")
struct HelpExampleTests {
    /// Every visible command below `root`, with its path.
    static func commands(_ root: ParsableCommand.Type, path: String) -> [(String, ParsableCommand.Type)] {
        let configuration = root.configuration
        guard configuration.shouldDisplay else { return [] }
        return [(path, root)]
            + configuration.subcommands.flatMap { sub in
                commands(
                    sub, path: path + " " + (sub.configuration.commandName ?? String(describing: sub).lowercased()))
            }
    }

    @Test("bursar and bursard: each visible command's help has an example")
    func everyCommandHasAnExample() {
        let all =
            Self.commands(BursarCommand.self, path: "bursar") + Self.commands(BursardCommand.self, path: "bursard")
        #expect(all.count > 20)
        let missing = all.filter { !$0.1.configuration.discussion.contains("Example") }.map(\.0)
        #expect(missing.isEmpty, "no example in the help of: \(missing.joined(separator: ", "))")
    }

    @Test("bursar and bursard print a version")
    func versions() {
        #expect(!BursarCommand.configuration.version.isEmpty)
        #expect(!BursardCommand.configuration.version.isEmpty)
    }
}
