/// String similarity measures used by the matcher.
enum Similarity {
    /// Trigrams as PostgreSQL's `pg_trgm` defines them — each word padded with two spaces in
    /// front and one behind — encoded as integers and sorted, so two sets compare by a merge.
    static func trigrams(_ words: [String]) -> [UInt64] {
        var set: [UInt64] = []
        for word in words {
            let scalars = [UInt32(32), 32] + word.unicodeScalars.map(\.value) + [32]
            guard scalars.count >= 3 else { continue }
            for i in 0...(scalars.count - 3) {
                set.append(UInt64(scalars[i]) << 42 | UInt64(scalars[i + 1]) << 21 | UInt64(scalars[i + 2]))
            }
        }
        set.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(set.count)
        for value in set where unique.last != value { unique.append(value) }
        return unique
    }

    /// Shared trigrams over all distinct trigrams (pg_trgm's `similarity`).
    static func similarity(_ x: [UInt64], _ y: [UInt64]) -> Double {
        if x.isEmpty && y.isEmpty { return 1 }
        var i = 0
        var j = 0
        var shared = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                shared += 1
                i += 1
                j += 1
            } else if x[i] < y[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return Double(shared) / Double(x.count + y.count - shared)
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits), capped:
    /// returns `limit + 1` as soon as the distance is known to exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
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

    /// Edits two words may differ by and still be one word misspelt: what the shorter allows,
    /// and one letter left out of a five-letter word ("Eypt" for "Egypt", "Sout" for "South").
    static func typoAllowance(_ first: Int, _ second: Int) -> Int {
        let shorter = min(first, second)
        let longer = max(first, second)
        if shorter == 4 && longer == 5 { return 1 }
        return typoAllowance(shorter)
    }
}
