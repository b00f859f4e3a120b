extension Course {
    /// The course in words, as the guideline writes it: "master's course", "doctoral course"
    /// (never "doctoral's course").
    public var courseWords: String {
        switch self {
        case .master: return "master's course"
        case .doctoral: return "doctoral course"
        }
    }

    /// The program in words: "master's program", "doctoral program".
    public var programWords: String {
        switch self {
        case .master: return "master's program"
        case .doctoral: return "doctoral program"
        }
    }
}
