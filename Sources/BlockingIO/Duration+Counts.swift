/// A `Duration` as the counts that system calls, clocks and C libraries take.
/// Swift's `Duration` keeps attoseconds; each module had written these two
/// conversions out for itself.
extension Duration {
    /// Whole nanoseconds; anything finer is dropped.
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Whole seconds, rounded up, for an API that counts in seconds and must
    /// not wait less than asked.
    public var secondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        return seconds + (attoseconds > 0 ? 1 : 0)
    }
}
