/// String similarity measures used by the matcher.
enum Similarity {
    /// Trigram similarity as PostgreSQL's `pg_trgm` defines it: each word padded with two
    /// spaces in front and one behind, shared trigrams over all distinct trigrams.
    static func trigram(_ a: [String], _ b: [String]) -> Double {
        let x = trigrams(a), y = trigrams(b)
        if x.isEmpty && y.isEmpty { return 1 }
        let shared = x.intersection(y).count
        return Double(shared) / Double(x.count + y.count - shared)
    }

    static func trigrams(_ words: [String]) -> Set<String> {
        var set = Set<String>()
        for word in words {
            let padded = Array("  " + word + " ")
            guard padded.count >= 3 else { continue }
            for i in 0...(padded.count - 3) { set.insert(String(padded[i..<(i + 3)])) }
        }
        return set
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits), capped:
    /// returns `limit + 1` as soon as the distance is known to exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count]
    }

    /// Edits a word of this length may differ by and still be the same word misspelt.
    static func typoAllowance(_ length: Int) -> Int { length >= 9 ? 2 : (length >= 5 ? 1 : 0) }
}
