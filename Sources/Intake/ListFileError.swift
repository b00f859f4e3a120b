/// Why a list file (an exclusion list, a partner list) was not imported: every problem found,
/// each with its line. Messages name fields and lines, never the values in them, because the
/// values are personal data.
public struct ListFileError: Error, Sendable, CustomStringConvertible {
    /// One problem: the line it is on and what is wrong.
    public struct Problem: Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }

        public var description: String { "line \(line): \(message)" }
    }

    public let problems: [Problem]

    public init(_ problems: [Problem]) { self.problems = problems }

    public init(line: Int, _ message: String) { self.problems = [Problem(line: line, message: message)] }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
