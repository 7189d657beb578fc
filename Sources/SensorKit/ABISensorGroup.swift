/// The host side of the C boundary: a group whose plugin lives in another
/// image and is reached only through a `SensorPluginABI` table.
///
/// States are kept as raw bytes in one buffer (stride and alignment from the
/// table), so a run-time plugin scales like a built-in one.
public final class ABISensorGroup: SensorGroup {
    let table: SensorPluginABI
    public let factory: ReadingFactory
    private var states: UnsafeMutableRawPointer
    private var capacity: Int
    private var randoms: ContiguousArray<SeededRandom> = []
    private var seqs: ContiguousArray<UInt64> = []
    private var alarms: ContiguousArray<AlarmSet> = []
    private var scratch: [Double]
    private let stride: Int
    private let alignment: Int

    init(table: SensorPluginABI, descriptor: SensorDescriptor) {
        self.table = table
        self.factory = ReadingFactory(descriptor: descriptor)
        self.stride = max(Int(table.stateStride), 1)
        self.alignment = max(Int(table.stateAlignment), 1)
        self.capacity = 16
        self.states = UnsafeMutableRawPointer.allocate(byteCount: stride * capacity, alignment: alignment)
        self.scratch = Array(repeating: 0, count: descriptor.fields.count)
    }

    deinit { states.deallocate() }

    public var descriptor: SensorDescriptor { factory.descriptor }
    public var count: Int { seqs.count }

    private func state(_ index: Int) -> UnsafeMutableRawPointer {
        precondition(index >= 0 && index < count, "sensor index \(index) out of range 0..<\(count)")
        return states + index * stride
    }

    public func addSensor(seed: UInt64, stream: UInt64, at start: Timestamp) -> Int {
        if count == capacity {
            let grown = UnsafeMutableRawPointer.allocate(byteCount: stride * capacity * 2, alignment: alignment)
            grown.copyMemory(from: states, byteCount: stride * capacity)
            states.deallocate()
            states = grown
            capacity *= 2
        }
        var random = SeededRandom(seed: seed, stream: stream)
        table.makeState(table.context, states + count * stride, &random, start.nanosecondsSinceEpoch)
        randoms.append(random)
        seqs.append(0)
        alarms.append([])
        return count - 1
    }

    public func nextReading(_ index: Int, at now: Timestamp, identity: SensorIdentity) -> Reading? {
        let state = state(index)
        table.advance(table.context, state, &randoms[index], now.nanosecondsSinceEpoch)
        var deviceAlarms: UInt64 = 0
        let reported = scratch.withUnsafeMutableBufferPointer { values in
            table.report(table.context, state, now.nanosecondsSinceEpoch, values.baseAddress!, &deviceAlarms)
        }
        guard reported != 0 else { return nil }
        let values = zip(scratch, descriptor.fields).map { SensorPluginABI.decode($0, as: $1) }
        let sample = SensorSample(values, deviceAlarms: AlarmSet(rawValue: deviceAlarms))
        return factory.reading(for: sample, alarms: &alarms[index], seq: &seqs[index], identity: identity, at: now)
    }

    public func nextDue(_ index: Int) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: table.nextDue(table.context, state(index)))
    }

    public func apply(_ event: SensorEvent, to index: Int, at now: Timestamp) throws(SensorEventError) {
        let resolved = try descriptor.resolve(event)
        let state = state(index)
        table.advance(table.context, state, &randoms[index], now.nanosecondsSinceEpoch)
        let json = Array(resolved.json.serialized().utf8)
        let status = json.withUnsafeBufferPointer { bytes in
            table.apply(table.context, state, &randoms[index], bytes.baseAddress!, bytes.count)
        }
        guard status == 0 else {
            throw SensorEventError(.rejectedByPlugin, "the \(descriptor.kind) plugin refused event \(resolved)")
        }
    }

    public func activeAlarms(_ index: Int) -> [String] {
        factory.alarmNames(alarms[index])
    }
}

extension AnySensorPlugin {
    /// Wraps the table a plugin library's entry point returned. Checks the
    /// table's magic and version before reading anything else from it, and the
    /// declarations it carries.
    public init(abiTable pointer: UnsafeRawPointer, origin: String) throws(PayloadParseError) {
        guard pointer.load(as: UInt64.self) == SensorPluginABI.expectedMagic else {
            throw PayloadParseError(.wrongType, "\(origin): the entry point did not return a hearth sensor plugin table")
        }
        let version = pointer.load(fromByteOffset: MemoryLayout<UInt64>.size, as: UInt32.self)
        guard version == SensorPluginABI.currentVersion else {
            throw PayloadParseError(.wrongType, "\(origin): plugin ABI version \(version), this hearth speaks \(SensorPluginABI.currentVersion); rebuild the plugin")
        }
        let table = pointer.load(as: SensorPluginABI.self)
        let json = try JSONParser.parse(UnsafeBufferPointer(start: table.descriptorJSON, count: table.descriptorJSONCount))
        let descriptor = try SensorDescriptor(json: json)
        self.init(descriptor: descriptor, stateSize: Int(table.stateSize), origin: origin) {
            ABISensorGroup(table: table, descriptor: descriptor)
        }
    }
}
