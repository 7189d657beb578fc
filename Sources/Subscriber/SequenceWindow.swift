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

/// The highest `seq` of one sensor plus a bitmap of the `width` below it, as
/// in IPsec's anti-replay window: constant memory per sensor, exact duplicate
/// detection for anything less than `width` readings late.
///
/// The window is 1,024 readings wide (128 bytes a sensor): after a broker
/// restart with persistent sessions, the broker's queued readings and the
/// publisher's resent ones arrive interleaved, and a small estate at a high
/// rate can be hundreds of readings late. 64 was seen to refuse such late
/// readings as replays, which is loss.
struct SequenceWindow: Sendable, Equatable {
    static let width: UInt64 = 1024
    private static let words = Int(width / 64)

    private(set) var highest: UInt64
    /// Bit i set (word i / 64, bit i % 64): `highest - i` was seen (bit 0 is `highest` itself).
    private var seen: [UInt64]
    /// The Fernet timestamp of the token that carried `highest`, to tell a
    /// restarted publisher (newer token, low seq) from a replay (older token).
    private var highestTokenTime: UInt64

    init(first seq: UInt64, tokenTime: UInt64) {
        highest = seq
        seen = [UInt64](repeating: 0, count: Self.words)
        seen[0] = 1
        highestTokenTime = tokenTime
    }

    /// Classifies `seq` and records it if it is accepted.
    mutating func admit(_ seq: UInt64, tokenTime: UInt64) -> SequenceVerdict {
        if seq > highest {
            shiftUp(by: seq - highest)
            seen[0] |= 1
            highest = seq
            highestTokenTime = max(highestTokenTime, tokenTime)
            return .next
        }
        let distance = highest - seq
        if distance < Self.width {
            let word = Int(distance / 64)
            let bit: UInt64 = 1 << (distance % 64)
            if seen[word] & bit != 0 { return .duplicate }
            seen[word] |= bit
            return .outOfOrder
        }
        if tokenTime > highestTokenTime {
            self = SequenceWindow(first: seq, tokenTime: tokenTime)
            return .restarted
        }
        return .tooOld
    }

    /// Moves every recorded bit `shift` places towards the old end.
    private mutating func shiftUp(by shift: UInt64) {
        guard shift < Self.width else {
            for index in seen.indices { seen[index] = 0 }
            return
        }
        let wordShift = Int(shift / 64)
        let bitShift = shift % 64
        for index in stride(from: Self.words - 1, through: 0, by: -1) {
            let source = index - wordShift
            var value: UInt64 = source >= 0 ? seen[source] << bitShift : 0
            if bitShift > 0 && source - 1 >= 0 { value |= seen[source - 1] >> (64 - bitShift) }
            seen[index] = value
        }
    }
}
