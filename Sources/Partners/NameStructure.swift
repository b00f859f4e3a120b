/// Where an institution name's words stand around its head word, and when reordering them keeps
/// the institution.
///
/// An institution's name has a head (University, Institute, College, Polytechnic, School,
/// Academy …) with its own name before it ("Mahidol University") or behind it ("University of
/// Mahidol"), and often a field behind it ("… University of Science and Technology"). Word order
/// is ignored within this structure, and a name without a field may move across the head
/// ("Mahidol University" = "University of Mahidol", "Semarang State Polytechnic" = "State
/// Polytechnic of Semarang", "Sapienza University of Rome" = "University of Rome La Sapienza"),
/// and a name with all its words on one side of the head may move them all to the other side
/// ("Kaohsiung Medical University" = "University of Kaohsiung Medical").
///
/// A name with a field keeps its structure: in "X University of F", X is the institution's own
/// name; in "University of F of X" (or "… F X"), X is where a "University of F" stands. These are
/// different naming structures, used by different institutions of the same place: "Hanoi
/// University of Science and Technology" (HUST) is not the "University of Science and Technology
/// of Hanoi" (USTH), "Tokyo University of Science" is not a "University of Science, Tokyo". So
/// when either name has a field behind the head, the words before the head and the words behind
/// it must be the same on both sides. Institutions known under both structures ("University of
/// Technology Eindhoven") carry the other form as a curated alias (`db/partners`).
struct NameStructure {
    /// The index of the head word in the name's words, or nil when it has none.
    let head: Int?

    init(_ words: [String]) {
        head = words.firstIndex(where: NameStructure.headWords.contains)
    }

    /// Canonical words that make a name an institution of some kind.
    static let headWords: Set<String> = [
        "university", "institute", "college", "polytechnic", "school", "academy", "hochschule", "hogeschool",
        "museum", "observatory", "center", "agency",
    ]

    /// Canonical words that name a field of study or work: behind the head they make the name's
    /// structure part of its identity.
    static let fieldWords: Set<String> = [
        "science", "technology", "technical", "applied", "medicine", "medical", "pharmacy", "education", "law",
        "political",
        "economics", "business", "arts", "art", "engineering", "agriculture", "agricultural", "health", "nursing",
        "geosciences", "studies", "music", "sport", "sports", "fine", "languages", "foreign", "fisheries", "forestry",
        "maritime", "aviation", "social", "humanities", "management", "finance", "commerce", "design", "theology",
        "veterinary", "dentistry", "mining", "space", "research", "professions", "visual", "oncology", "molecular",
        "electronics", "teachers", "pedagogical", "industry", "industrial", "transport", "communications",
        "information",
    ]

    /// True when `a`'s words, mapped to the `b` words they were paired with, stand as `b`'s do.
    ///
    /// - Parameters:
    ///   - a: the first name's words; `pairs[i]` is the index in `b` of the word paired with
    ///     `a[i]`, or nil (unpaired words do not take part).
    static func keepsStructure(_ a: [String], _ b: [String], pairs: [Int?]) -> Bool {
        // The head of `a` is the word paired with `b`'s head (a misspelt "Hocschule" is still
        // the head), else `a`'s own.
        guard let hb = NameStructure(b).head, let ha = pairs.firstIndex(of: hb) ?? NameStructure(a).head else {
            return true
        }
        var preA: [String] = []
        var postA: [String] = []
        for (i, j) in pairs.enumerated() where i != ha {
            guard let j, j != hb else { continue }
            if i < ha { preA.append(b[j]) } else { postA.append(b[j]) }
        }
        let paired = Set(pairs.compactMap { $0 })
        var preB: [String] = []
        var postB: [String] = []
        for j in b.indices where j != hb && paired.contains(j) {
            if j < hb { preB.append(b[j]) } else { postB.append(b[j]) }
        }
        if preA.sorted() == preB.sorted() && postA.sorted() == postB.sorted() { return true }
        // A whole flip keeps the name: "Kaohsiung Medical University" = "University of
        // Kaohsiung Medical". Only a name with words on both sides of its head has a structure
        // that a move can change.
        if (preA.isEmpty && postB.isEmpty) || (postA.isEmpty && preB.isEmpty) { return true }
        let hasField = postA.contains(where: fieldWords.contains) || postB.contains(where: fieldWords.contains)
        return !hasField
    }
}
