/// The version `bursar --version` and `bursard --version` print.
enum BursarVersion {
    static let current = "1.1.0"
}
