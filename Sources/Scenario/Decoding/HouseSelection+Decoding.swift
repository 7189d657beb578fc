import SensorKit
import Yams

/// `houses:` of an event: `all`, a number, a range `10-20`, a list mixing
/// both (`[1, 4-6]`), or the same as one string (`"1, 4-6"`).
extension HouseSelection {
    static let maximumRanges = 10_000
    static let expected = "all, a house number, a range like 10-20, or a list like [1, 4-6]"

    static func decode(_ node: Node, _ path: String, reader: ScenarioReader) -> HouseSelection? {
        var parts: [(text: String, node: Node)] = []
        if case .sequence = node {
            guard let elements = reader.elements(node, path, expected: expected) else { return nil }
            for element in elements where !reader.isExhausted {
                guard let text = reader.scalar(element, path, expected: "a house number or a range like 10-20") else { return nil }
                parts.append((text, element))
            }
        } else {
            guard let text = reader.scalar(node, path, expected: expected) else { return nil }
            if text.trimmingBlanks.lowercased() == "all" { return .all }
            parts = text.split(separator: ",", omittingEmptySubsequences: false).map { (String($0), node) }
        }
        guard !parts.isEmpty else {
            reader.report("\(path) is an empty list; give \(expected)", at: node)
            return nil
        }
        guard parts.count <= maximumRanges else {
            reader.report("\(path) has \(parts.count.grouped) entries; at most \(maximumRanges.grouped) (use ranges like 1-500)", at: node)
            return nil
        }
        var ranges: [ClosedRange<Int>] = []
        for part in parts {
            guard let range = range(part.text) else {
                reader.report("\(path): '\(String(part.text.trimmingBlanks).shown)' is not a house number or range; houses are numbered from 1 to \(Estate.maximumHouses.grouped) and written like 3 or 10-20", at: part.node)
                return nil
            }
            ranges.append(range)
        }
        return .ranges(ranges)
    }

    /// `7` or `10-20`, within the largest possible estate.
    private static func range(_ text: String) -> ClosedRange<Int>? {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map { String($0) }
        let numbers = bounds.compactMap(ScenarioReader.wholeNumber)
        guard (1...2).contains(bounds.count), numbers.count == bounds.count,
              let low = numbers.first, let high = numbers.last,
              1 <= low, low <= high, high <= Estate.maximumHouses else { return nil }
        return low...high
    }

    /// Reports houses that do not exist, and houses without a sensor of the
    /// event's kind (an event there would have nothing to act on).
    func check(against estate: EstateIndex, kind: SensorKind, _ path: String, at node: Node, reader: ScenarioReader) -> Bool {
        switch self {
        case .all:
            guard estate.anyHouseHas(kind) else {
                reader.report("\(path): no house has a \(kind) sensor, so the event would do nothing", at: node)
                return false
            }
            return true
        case .ranges(let ranges):
            for range in ranges {
                guard range.upperBound <= estate.houseCount else {
                    reader.report("\(path): house \(Swift.max(range.lowerBound, estate.houseCount + 1).grouped) does not exist; the estate has houses 1 to \(estate.houseCount.grouped)", at: node)
                    return false
                }
                if let house = estate.firstHouseLacking(kind, in: range) {
                    reader.report("\(path): house \(house.grouped) has no \(kind) sensor, so the event would do nothing there", at: node)
                    return false
                }
            }
            return true
        }
    }
}
