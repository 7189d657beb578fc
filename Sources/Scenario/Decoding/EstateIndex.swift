import SensorKit

/// Answers "which houses lack a sensor of this kind?" quickly, for checking
/// event targets.
///
/// A file may list many house groups and many events with many ranges;
/// scanning every group for every range of every event would be quadratic
/// (or worse), so the houses without each kind are kept as sorted spans,
/// computed once per kind and searched by bisection.
final class EstateIndex {
    let houseCount: Int
    private let spans: [(houses: ClosedRange<Int>, kinds: Set<SensorKind>)]
    private var spansLacking: [SensorKind: [ClosedRange<Int>]] = [:]

    init(_ estate: Estate) {
        var first = 1
        var spans: [(ClosedRange<Int>, Set<SensorKind>)] = []
        for group in estate.houseGroups {
            spans.append((first...(first + group.count - 1), Set(group.sensors.map(\.kind))))
            first += group.count
        }
        self.spans = spans
        houseCount = first - 1
    }

    /// Whether any house has a sensor of `kind`.
    func anyHouseHas(_ kind: SensorKind) -> Bool {
        lacking(kind).reduce(0) { $0 + $1.count } < houseCount
    }

    /// The first house in `range` without a sensor of `kind`, if any.
    func firstHouseLacking(_ kind: SensorKind, in range: ClosedRange<Int>) -> Int? {
        let lackingSpans = lacking(kind)
        var low = 0
        var high = lackingSpans.count
        while low < high {
            let middle = (low + high) / 2
            if lackingSpans[middle].upperBound < range.lowerBound { low = middle + 1 } else { high = middle }
        }
        guard low < lackingSpans.count, lackingSpans[low].overlaps(range) else { return nil }
        return max(lackingSpans[low].lowerBound, range.lowerBound)
    }

    private func lacking(_ kind: SensorKind) -> [ClosedRange<Int>] {
        if let cached = spansLacking[kind] { return cached }
        var merged: [ClosedRange<Int>] = []
        for span in spans where !span.kinds.contains(kind) {
            if let last = merged.last, last.upperBound + 1 == span.houses.lowerBound {
                merged[merged.count - 1] = last.lowerBound...span.houses.upperBound
            } else {
                merged.append(span.houses)
            }
        }
        spansLacking[kind] = merged
        return merged
    }
}
