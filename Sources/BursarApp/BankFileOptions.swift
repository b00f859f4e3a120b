import ArgumentParser
import Foundation
import Screening

/// `payments run --format csv|zengin [--transfer-date YYYY-MM-DD]` (interface §3).
struct BankFileOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, zengin
    }

    @Option(help: "The bank file: csv (default) or zengin (the Zengin total-transfer file).") var format: Format = .csv
    @Option(help: "The Zengin file's transfer date (振込指定日), YYYY-MM-DD; default today in Asia/Tokyo.")
    var transferDate: String?

    /// The transfer date of a Zengin run, or nil for the CSV.
    func zenginTransferDate(now: Date = Date()) throws -> CalendarDate? {
        guard format == .zengin else {
            if transferDate != nil {
                throw CLI.usageError("--transfer-date is for --format zengin")
            }
            return nil
        }
        guard let text = transferDate else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
            let parts = calendar.dateComponents([.year, .month, .day], from: now)
            return CalendarDate(iso: String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
        }
        guard let date = CalendarDate(iso: text) else {
            throw CLI.usageError("--transfer-date must be a date YYYY-MM-DD, e.g. 2026-07-24")
        }
        return date
    }
}
