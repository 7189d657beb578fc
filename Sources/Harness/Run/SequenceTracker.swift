/// Tells, by sensor and `seq`, whether a stored reading is new, a repeat of
/// one already seen, or new but behind a later one (out of order).
///
/// The subscriber refuses duplicates itself; the harness counts again from
/// its own side so that a subscriber bug cannot hide loss or duplicates from
/// the report. Twelve bytes per sensor (the next expected seq and a 64-bit
/// window of the seqs just below it), so a million sensors cost 12 MB.
/// A seq more than 64 below the highest seen cannot be told apart from a
/// repeat and is counted as out of order, never as a duplicate: a
/// duplicate gate must not fail on a guess.
public struct SequenceTracker: Sendable {
    public enum Outcome: Sendable, Equatable {
        case new
        case outOfOrder
        case duplicate
    }

    /// Per sensor: highest seq seen + 1 (0: nothing seen yet).
    private var next: [UInt32]
    /// Per sensor: bit i set when seq `highest - 1 - i` was seen (highest = next - 1).
    private var window: [UInt64]

    public init(sensors: Int) {
        next = [UInt32](repeating: 0, count: sensors + 1)
        window = [UInt64](repeating: 0, count: sensors + 1)
    }

    public mutating func note(sensor: Int, seq rawSeq: UInt64) -> Outcome {
        if sensor >= next.count {
            guard sensor < Int(Int32.max) else { return .outOfOrder }
            next += repeatElement(0, count: sensor + 1 - next.count)
            window += repeatElement(0, count: sensor + 1 - window.count)
        }
        let seq = UInt32(clamping: rawSeq)
        let expected = next[sensor]
        if seq >= expected {
            // The old highest (expected - 1) lands at bit shift - 1; older bits move up by shift.
            let shift = UInt64(seq) - UInt64(expected) + 1
            if expected == 0 {
                window[sensor] = 0
            } else if shift >= 64 {
                window[sensor] = shift == 64 ? 1 << 63 : 0
            } else {
                window[sensor] = (window[sensor] << shift) | (1 << (shift - 1))
            }
            next[sensor] = seq &+ 1
            return .new
        }
        // seq < expected: below the highest seen.
        let highest = expected - 1
        if seq == highest { return .duplicate }
        let distance = UInt64(highest - seq)  // ≥ 1: bit distance - 1
        guard distance <= 64 else { return .outOfOrder }
        let bit: UInt64 = 1 << (distance - 1)
        if window[sensor] & bit != 0 { return .duplicate }
        window[sensor] |= bit
        return .outOfOrder
    }
}
