/// A point in (simulated or real) time: nanoseconds since the Unix epoch, UTC.
///
/// One `Int64` rather than `Date` or `ContinuousClock.Instant`, because it must
/// sit in per-sensor state (eight bytes, bitwise copyable), cross a C boundary
/// to run-time plugins, and print as both `timestamp` (RFC 3339) and
/// `sent_at_ns` in a payload without conversion loss.
@frozen
public struct Timestamp: Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Double) {
        self.nanosecondsSinceEpoch = Int64((secondsSinceEpoch * 1e9).rounded())
    }

    public static let epoch = Timestamp(nanosecondsSinceEpoch: 0)

    public var secondsSinceEpoch: Double { Double(nanosecondsSinceEpoch) / 1e9 }

    /// Seconds since midnight UTC, in [0, 86400): the phase of daily cycles.
    public var secondsOfDay: Double {
        let day: Int64 = 86_400_000_000_000
        let r = nanosecondsSinceEpoch % day
        return Double(r < 0 ? r + day : r) / 1e9
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// `self` moved by `seconds` (which may be negative).
    public func adding(seconds: Double) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: nanosecondsSinceEpoch &+ Int64((seconds * 1e9).rounded()))
    }

    /// Seconds from `other` to `self` (negative if `other` is later).
    public func seconds(since other: Timestamp) -> Double {
        Double(nanosecondsSinceEpoch &- other.nanosecondsSinceEpoch) / 1e9
    }

    public var description: String { rfc3339 }
}
