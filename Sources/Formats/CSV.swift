import CSV
import Foundation

/// RFC 4180 CSV: one writer for every CSV Bursar produces, and one reader (yaslab/CSV.swift)
/// for every CSV it imports, so that quoted fields with commas, quotes and line breaks read back
/// as they were written.
public enum CSV {
    /// One field, quoted when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One row of fields (without the line break).
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    /// One record of a CSV text and the line it starts on (a quoted field may span lines).
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }

        /// The field at `index`, or "" when the row is shorter.
        public subscript(index: Int) -> String { index < fields.count ? fields[index] : "" }
    }

    /// Every record of `text`, in order. A UTF-8 byte order mark at the start is ignored;
    /// blank lines are skipped (they are not records); quoted fields may hold line breaks.
    public static func rows(_ text: String) -> [Row] {
        var text = Substring(text)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        // The reader from a String cannot fail (its only errors are about streams and header rows).
        guard let reader = try? CSVReader(string: String(text)) else { return [] }
        var rows: [Row] = []
        var line = 1
        while let fields = reader.next() {
            let start = line
            line += 1 + fields.reduce(0) { $0 + lineBreaks(in: $1) }
            if fields.count == 1 && fields[0].allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            rows.append(Row(line: start, fields: fields))
        }
        return rows
    }

    /// Splits one CSV line into fields (for callers that hold a single line).
    public static func parseLine(_ line: String) -> [String] {
        rows(line).first?.fields ?? [""]
    }

    /// Line breaks inside a field (CR LF counts once, as it ends one line).
    private static func lineBreaks(in field: String) -> Int {
        var count = 0
        var previousCR = false
        for scalar in field.unicodeScalars {
            if scalar == "\n" { count += previousCR ? 0 : 1 } else if scalar == "\r" { count += 1 }
            previousCR = scalar == "\r"
        }
        return count
    }
}
