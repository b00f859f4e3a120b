import PropertyBased
import Screening
import Testing

/// The ISO text codec of dates: what Bursar writes it reads back as the same date.
@Suite("CalendarDate text codec")
struct CalendarDatePropertyTests {
    @Test("every valid date round-trips through its ISO text")
    func roundTrip() async {
        await propertyCheck(input: Gen.int(in: 1900...2100), Gen.int(in: 1...12), Gen.int(in: 1...31)) {
            year, month, day in
            guard let date = CalendarDate(year: year, month: month, day: day) else {
                #expect(day > CalendarDate.daysIn(month: month, year: year))
                return
            }
            #expect(CalendarDate(iso: date.description) == date)
        }
    }
}
