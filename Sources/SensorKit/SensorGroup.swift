/// Many simulated sensors of one kind, driven through one type-erased object.
///
/// This is how the harness drives heterogeneous plugins: one group per kind
/// (built-in or loaded at run time), each holding its sensors' states in one
/// contiguous buffer, addressed by index. Calls are synchronous and allocate
/// only the reading they return, so a scheduler can drive a million sensors
/// from one loop without a Task per message.
///
/// A group is not thread-safe; give each scheduler thread its own groups (for
/// example one set per shard of houses).
public protocol SensorGroup: AnyObject {
    var descriptor: SensorDescriptor { get }
    /// How many sensors the group holds; indices are `0..<count`.
    var count: Int { get }

    /// Adds a sensor whose randomness is stream `stream` of `seed` (use the
    /// sensor's stable index as the stream), starting at `start`; returns its index.
    @discardableResult
    func addSensor(seed: UInt64, stream: UInt64, at start: Timestamp) -> Int

    /// Advances sensor `index` to `now` and returns what it reports, or nil if
    /// an `.onChange` device has nothing due. `seq` counts up from 0 per sensor.
    func nextReading(_ index: Int, at now: Timestamp, identity: SensorIdentity) -> Reading?

    /// The earliest time sensor `index` has something to report.
    func nextDue(_ index: Int) -> Timestamp

    /// Advances sensor `index` to `now`, then applies `event` (checked against
    /// the declarations first, defaults filled in).
    func apply(_ event: SensorEvent, to index: Int, at now: Timestamp) throws(SensorEventError)

    /// The alarms of sensor `index` as of its last reading.
    func activeAlarms(_ index: Int) -> [String]
}

/// Turns samples into readings the same way for every group: alarm rules with
/// hysteresis, rounding, units, `seq`. One place, so built-in and run-time
/// plugins cannot differ in what they put on the wire.
public struct ReadingFactory: Sendable {
    public let descriptor: SensorDescriptor
    let rules: AlarmRules

    public init(descriptor: SensorDescriptor) {
        self.descriptor = descriptor
        self.rules = AlarmRules(descriptor)
    }

    /// The reading for `sample`; updates the sensor's alarm set and `seq`.
    public func reading(
        for sample: SensorSample, alarms: inout AlarmSet, seq: inout UInt64, identity: SensorIdentity, at now: Timestamp
    ) -> Reading {
        let values = descriptor.wireValues(sample.values)
        alarms = rules.evaluate(previous: alarms, values: values, device: sample.deviceAlarms)
        let reading = descriptor.makeReading(wireValues: values, alarms: alarms, identity: identity, seq: seq, at: now)
        seq &+= 1
        return reading
    }

    public func alarmNames(_ set: AlarmSet) -> [String] {
        descriptor.alarmNames(set)
    }
}

/// The group for a plugin compiled into this process.
public final class PluginSensorGroup<Plugin: SensorPlugin>: SensorGroup {
    struct Slot {
        var state: Plugin.State
        var random: SeededRandom
        var seq: UInt64
        var alarms: AlarmSet
    }

    public let plugin: Plugin
    public let factory: ReadingFactory
    var slots: ContiguousArray<Slot> = []

    public init(_ plugin: Plugin, descriptor: SensorDescriptor? = nil) {
        self.plugin = plugin
        self.factory = ReadingFactory(descriptor: descriptor ?? plugin.descriptor)
    }

    public var descriptor: SensorDescriptor { factory.descriptor }
    public var count: Int { slots.count }

    public func addSensor(seed: UInt64, stream: UInt64, at start: Timestamp) -> Int {
        var random = SeededRandom(seed: seed, stream: stream)
        let state = plugin.makeState(at: start, random: &random)
        slots.append(Slot(state: state, random: random, seq: 0, alarms: []))
        return slots.count - 1
    }

    public func nextReading(_ index: Int, at now: Timestamp, identity: SensorIdentity) -> Reading? {
        withSlot(index) { slot in
            plugin.advance(&slot.state, to: now, random: &slot.random)
            guard let sample = plugin.report(&slot.state, at: now) else { return nil }
            return factory.reading(for: sample, alarms: &slot.alarms, seq: &slot.seq, identity: identity, at: now)
        }
    }

    /// Runs `body` on sensor `index`'s slot in place. Copying the slot out
    /// and back, plugin state included, showed in the publisher's profile as
    /// `memmove` under every reading.
    private func withSlot<Result, Failure: Error>(_ index: Int, _ body: (inout Slot) throws(Failure) -> Result) throws(Failure) -> Result {
        try body(&slots[index])
    }

    public func nextDue(_ index: Int) -> Timestamp {
        plugin.nextDue(slots[index].state)
    }

    public func apply(_ event: SensorEvent, to index: Int, at now: Timestamp) throws(SensorEventError) {
        let resolved = try descriptor.resolve(event)
        withSlot(index) { slot in
            plugin.advance(&slot.state, to: now, random: &slot.random)
            plugin.apply(resolved, to: &slot.state, random: &slot.random)
        }
    }

    public func activeAlarms(_ index: Int) -> [String] {
        factory.alarmNames(slots[index].alarms)
    }
}
