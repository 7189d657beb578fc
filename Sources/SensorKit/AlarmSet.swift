/// The alarms active on one sensor, as bits over its plugin's `alarms` list
/// (bit i is `alarms[i]`). Eight bytes, so it fits in per-sensor state.
@frozen
public struct AlarmSet: OptionSet, Hashable, Sendable, BitwiseCopyable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The set holding only the alarm at `index` in the plugin's `alarms` list.
    public init(index: Int) {
        precondition((0..<64).contains(index), "a plugin declares at most 64 alarms")
        self.rawValue = 1 << UInt64(index)
    }

    public func contains(index: Int) -> Bool { rawValue & (1 << UInt64(index)) != 0 }

    /// The indices in the set, ascending.
    public var indices: [Int] { (0..<64).filter { contains(index: $0) } }
}

extension SensorDescriptor {
    /// The names of the alarms in `set`, in declared order.
    public func alarmNames(_ set: AlarmSet) -> [String] {
        set.isEmpty ? [] : set.indices.filter { $0 < alarms.count }.map { alarms[$0].name }
    }
}
