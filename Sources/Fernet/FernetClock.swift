#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a ``Fernet`` or ``MultiFernet`` reads "now", in whole seconds since
/// the Unix epoch (the unit of a Fernet timestamp).
///
/// Injected so that tests can stamp tokens with the spec vectors' times and
/// step across TTL and clock-skew limits without sleeping.
public struct FernetClock: Sendable {
    private let read: @Sendable () -> UInt64

    /// A clock that calls `read` each time a token is made or checked.
    public init(_ read: @escaping @Sendable () -> UInt64) {
        self.read = read
    }

    /// Seconds since the epoch now.
    @inline(__always)
    public func now() -> UInt64 {
        read()
    }

    /// The system's real-time clock (`CLOCK_REALTIME`, a vDSO call, no syscall).
    public static let system = FernetClock {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(clamping: time.tv_sec)
    }

    /// A clock stopped at `seconds` since the epoch.
    public static func fixed(at seconds: UInt64) -> FernetClock {
        FernetClock { seconds }
    }
}
