import Screening

/// A name split at its commas, for the two things applicants add around an institution's name:
/// the unit they belong to ("Faculty of Engineering, Chulalongkorn University") and the place
/// ("Chulalongkorn University, Bangkok").
struct CommaParts {
    /// The name without its unit parts, or nil when it has none.
    let withoutUnits: String?
    /// The name without its units and without the place parts at its end, or nil when it has no
    /// such place.
    let withoutPlace: String?

    /// First words of a part that names a unit inside an institution, never an institution of
    /// its own when a comma sets it beside one.
    private static let unitWords: Set<String> = [
        "faculty", "department", "dept", "division", "laboratory", "lab", "school", "college", "institute", "center",
        "graduate", "program", "programme", "unit", "chair", "section",
    ]

    init(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0) }
            .filter { !TextFold.words($0).isEmpty }
        guard parts.count >= 2 else {
            withoutUnits = nil
            withoutPlace = nil
            return
        }
        let isUnit = parts.map { part -> Bool in
            guard let first = InstitutionName(part).words.first else { return false }
            // A part that names an institution of its own ("… University of London") is no unit.
            let name = InstitutionName(part)
            return CommaParts.unitWords.contains(first) && !name.words.contains("university")
        }
        // Keep at least one part that is not a unit.
        let kept = zip(parts, isUnit).filter { !$0.1 }.map(\.0)
        withoutUnits = kept.count < parts.count && !kept.isEmpty ? kept.joined(separator: ",") : nil
        var trimmed = kept
        while trimmed.count >= 2, let last = trimmed.last, CommaParts.isPlace(last) { trimmed.removeLast() }
        withoutPlace = trimmed.count < kept.count ? trimmed.joined(separator: ",") : nil
    }

    /// One to three words, none of them one that makes or tells apart an institution: a city or
    /// a region ("Bangkok", "Sydney NSW").
    static func isPlace(_ part: String) -> Bool {
        let words = InstitutionName(part).words
        return (1...3).contains(words.count)
            && !words.contains { word in
                NameStructure.headWords.contains(word) || NameStructure.fieldWords.contains(word)
                    || InstitutionName.isDistinguishing(word) || InstitutionName.genericWords.contains(word)
            }
    }
}
