/// What a sensor's `seq` says about one reading, judged against the
/// readings of that sensor seen before.
enum SequenceVerdict: Equatable, Sendable {
    /// Higher than any seen: the new latest value.
    case next
    /// Lower than the highest but not seen before (within the window): kept
    /// for history, never written as the latest value.
    case outOfOrder
    /// Seen before: a QoS 1 redelivery, the same reading over both
    /// transports, or a replayed token.
    case duplicate
    /// So far below the highest that the window cannot tell whether it was
    /// seen; refused as a replay.
    case tooOld
    /// Far below the highest but in a newer token than the highest's: the
    /// publisher restarted and counts from 0 again, so the window restarts.
    case restarted
}

/// The highest `seq` of one sensor plus a bitmap of the 64 below it, as in
/// IPsec's anti-replay window: constant memory per sensor, exact duplicate
/// detection for anything less than 64 readings late.
struct SequenceWindow: Sendable, Equatable {
    static let width: UInt64 = 64

    private(set) var highest: UInt64
    /// Bit i set: `highest - i` was seen (bit 0 is `highest` itself).
    private var seen: UInt64
    /// The Fernet timestamp of the token that carried `highest`, to tell a
    /// restarted publisher (newer token, low seq) from a replay (older token).
    private var highestTokenTime: UInt64

    init(first seq: UInt64, tokenTime: UInt64) {
        highest = seq
        seen = 1
        highestTokenTime = tokenTime
    }

    /// Classifies `seq` and records it if it is accepted.
    mutating func admit(_ seq: UInt64, tokenTime: UInt64) -> SequenceVerdict {
        if seq > highest {
            let shift = seq - highest
            seen = shift >= Self.width ? 1 : (seen << shift) | 1
            highest = seq
            highestTokenTime = max(highestTokenTime, tokenTime)
            return .next
        }
        let distance = highest - seq
        if distance < Self.width {
            let bit: UInt64 = 1 << distance
            if seen & bit != 0 { return .duplicate }
            seen |= bit
            return .outOfOrder
        }
        if tokenTime > highestTokenTime {
            self = SequenceWindow(first: seq, tokenTime: tokenTime)
            return .restarted
        }
        return .tooOld
    }
}
