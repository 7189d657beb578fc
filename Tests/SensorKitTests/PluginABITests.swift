import Testing
import SensorKit
import SensorCatalog
import FireCOSensor
import LeakSensor
import DoorWindowSensor
import ThermostatSensor
import MotionSensor
import GarageSensor

/// The C boundary, exercised in process: each built-in plugin is exported
/// through `SensorPluginABI` and driven through `ABISensorGroup`, which must
/// behave exactly like driving it directly.
@Suite("Plugin C ABI")
struct PluginABITests {
    @Test("exported plugin behaves like the original", arguments: SensorCatalog.builtIn.plugins)
    func exportedPluginMatches(_ plugin: AnySensorPlugin) throws {
        let table = Self.exportedTables[plugin.kind]!
        let loaded = try AnySensorPlugin(abiTable: table, origin: "in-process")
        #expect(loaded.descriptor == plugin.descriptor)
        #expect(loaded.stateSize == plugin.stateSize)
        for script in EventScript.all(for: plugin.descriptor).prefix(6) {
            #expect(try Self.run(plugin, script) == Self.run(loaded, script), "\(script)")
        }
    }

    @Test func groupsGrowPastTheirInitialCapacityWithoutLosingState() throws {
        let loaded = try AnySensorPlugin(abiTable: Self.exportedTables[.leak]!, origin: "in-process")
        let direct = SensorCatalog.builtIn.plugin(for: .leak)!
        let (a, b) = (loaded.makeGroup(), direct.makeGroup())
        let start = PluginDrive.start
        for stream in 0..<100 as Range<UInt64> {
            a.addSensor(seed: 1, stream: stream, at: start)
            b.addSensor(seed: 1, stream: stream, at: start)
        }
        for index in stride(from: 0, to: 100, by: 3) {
            try a.apply(SensorEvent(name: "leak_start"), to: index, at: start.adding(seconds: 1))
            try b.apply(SensorEvent(name: "leak_start"), to: index, at: start.adding(seconds: 1))
        }
        let later = start.adding(seconds: 600)
        let identity = PluginDrive.identity
        #expect((0..<100).map { a.nextReading($0, at: later, identity: identity) } == (0..<100).map { b.nextReading($0, at: later, identity: identity) })
        #expect(a.activeAlarms(3) == ["leak"])
        #expect(a.activeAlarms(4) == [])
    }

    @Test func eventsAreCheckedBeforeTheyCrossTheBoundary() throws {
        let loaded = try AnySensorPlugin(abiTable: Self.exportedTables[.thermostat]!, origin: "in-process")
        let group = loaded.makeGroup()
        group.addSensor(seed: 1, stream: 0, at: PluginDrive.start)
        #expect(throws: SensorEventError.self) { try group.apply(SensorEvent(name: "setpoint"), to: 0, at: PluginDrive.start) }
        #expect(throws: SensorEventError.self) {
            try group.apply(SensorEvent(name: "setpoint", parameters: ["value": 80]), to: 0, at: PluginDrive.start)
        }
        try group.apply(SensorEvent(name: "setpoint", parameters: ["value": 25]), to: 0, at: PluginDrive.start)
        #expect(group.nextReading(0, at: PluginDrive.start.adding(seconds: 1), identity: PluginDrive.identity)?[field: "setpoint"] == .number(25))
    }

    @Test func rejectsTablesThatAreNotPluginTables() {
        let junk = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 16)
        defer { junk.deallocate() }
        junk.initializeMemory(as: UInt8.self, repeating: 0, count: 256)
        #expect(throws: PayloadParseError.self) { try AnySensorPlugin(abiTable: junk, origin: "junk") }
        junk.storeBytes(of: SensorPluginABI.expectedMagic, as: UInt64.self)
        junk.storeBytes(of: SensorPluginABI.currentVersion + 1, toByteOffset: 8, as: UInt32.self)
        #expect(throws: PayloadParseError.self) { try AnySensorPlugin(abiTable: junk, origin: "future") }
    }

    /// Exported once per process, as a library's entry point would.
    nonisolated(unsafe) static let exportedTables: [SensorKind: UnsafeRawPointer] = [
        .fireCO: SensorPluginABI.export(FireCOSensor()), .leak: SensorPluginABI.export(LeakSensor()),
        .doorWindow: SensorPluginABI.export(DoorWindowSensor()), .thermostat: SensorPluginABI.export(ThermostatSensor()),
        .motion: SensorPluginABI.export(MotionSensor()), .garage: SensorPluginABI.export(GarageSensor()),
    ]

    static func run(_ plugin: AnySensorPlugin, _ script: EventScript) throws -> [Reading] {
        var drive = PluginDrive(plugin, seed: 99)
        drive.run(for: 120, every: 7)
        for event in script.events {
            try drive.apply(event.name, event.parameters)
            drive.run(for: 3, every: 1)
        }
        drive.run(for: 3600, every: 11)
        return drive.readings
    }
}
