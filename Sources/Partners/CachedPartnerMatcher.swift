import Foundation
import Screening

/// A matcher that remembers its answers: the same spelling in the same country always gets the
/// same answer from the same list, and a batch names the same institutions again and again.
/// Build a new one when the list or an officer's decision changes.
public final class CachedPartnerMatcher: PartnerMatching, @unchecked Sendable {
    public let matcher: PartnerMatcher
    private let lock = NSLock()
    private var answers: [String: PartnerMatch] = [:]
    private let capacity: Int

    public init(_ matcher: PartnerMatcher, capacity: Int = 50_000) {
        self.matcher = matcher
        self.capacity = capacity
    }

    public func match(institution: String, country: String?) -> PartnerMatch {
        let key = (country ?? "") + "\u{1}" + institution
        lock.lock()
        if let known = answers[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let answer = matcher.match(institution: institution, country: country)
        lock.lock()
        if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
        answers[key] = answer
        lock.unlock()
        return answer
    }
}
