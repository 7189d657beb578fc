/// Which houses an event touches: all of them, or some house numbers and
/// ranges such as `3`, `10-20` or `1, 4-6`.
public enum HouseSelection: Equatable, Sendable, CustomStringConvertible {
    case all
    /// Inclusive ranges of 1-based house numbers, as written.
    case ranges([ClosedRange<Int>])

    public func contains(_ house: Int) -> Bool {
        switch self {
        case .all: true
        case .ranges(let ranges): ranges.contains { $0.contains(house) }
        }
    }

    /// The selected house numbers among `houseCount` houses, ascending and
    /// without repeats.
    public func houses(among houseCount: Int) -> [Int] {
        switch self {
        case .all:
            return Array(1...max(1, houseCount)).filter { $0 <= houseCount }
        case .ranges(let ranges):
            var selected = Set<Int>()
            for range in ranges {
                let clamped = range.clamped(to: 1...max(1, houseCount))
                if clamped.lowerBound <= houseCount { selected.formUnion(clamped) }
            }
            return selected.sorted()
        }
    }

    /// `all`, or the numbers and ranges joined by commas, as the parser
    /// reads them back.
    public var description: String {
        switch self {
        case .all:
            "all"
        case .ranges(let ranges):
            ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ")
        }
    }
}
