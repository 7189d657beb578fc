import Testing
import SensorKit
import SensorCatalog

/// Every plugin, built in or loaded, goes through the same checks: the rules in
/// `SensorPlugin`'s documentation, made executable.
@Suite("Plugin conformance")
struct PluginConformanceTests {
    static let plugins = SensorCatalog.builtIn.plugins

    @Test("plugin conforms", arguments: plugins)
    func conforms(_ plugin: AnySensorPlugin) throws {
        try Self.check(plugin)
    }

    /// The checks themselves; the run-time loading test puts a plugin loaded
    /// from a shared library through them too.
    static func check(_ plugin: AnySensorPlugin) throws {
        let descriptor = plugin.descriptor

        // Rule 2: per-sensor state fits a million sensors in memory.
        #expect(plugin.stateSize <= 256, "State is \(plugin.stateSize) bytes")

        // The declarations hang together: unique names, rules name real fields.
        #expect(Set(descriptor.fields.map(\.name)).count == descriptor.fields.count)
        #expect(descriptor.fields.allSatisfy { !Reading.Key.all.contains($0.name) }, "a field shadows a fixed key")
        #expect(Set(descriptor.alarms.map(\.name)).count == descriptor.alarms.count)
        for alarm in descriptor.alarms {
            if let field = alarm.trigger.field { #expect(descriptor.field(named: field) != nil, "alarm \(alarm.name) reads unknown \(field)") }
        }

        // Rule 3: the same seed gives the same readings, bit for bit.
        let scripts = EventScript.all(for: descriptor)
        for script in scripts.prefix(3) {
            #expect(try explore(plugin, script, hours: 1) == explore(plugin, script, hours: 1), "not deterministic under \(script)")
        }

        // Rules 1 and 6, payload and schema: every reading validates, round-trips
        // through the wire format, and its payload matches the kind's JSON Schema.
        // Alarms and states: driving the declared events reaches every alarm and
        // every declared state value.
        let schema = JSONSchemaSubset(schema: descriptor.jsonSchema)
        var unseenAlarms = Set(descriptor.alarms.map(\.name))
        var unseenStates = Set(descriptor.fields.flatMap { field -> [String] in
            if case .choice(let values) = field.type { return values.map { "\(field.name)=\($0)" } }
            return []
        })
        for script in scripts where !(unseenAlarms.isEmpty && unseenStates.isEmpty) {
            let readings = try explore(plugin, script, hours: 8)
            for (position, reading) in readings.enumerated() {
                let payload = try descriptor.encode(reading)
                #expect(try Reading(payload: payload) == reading)
                unseenAlarms.subtract(reading.alarms)
                for field in reading.fields { if case .text(let state) = field.value { unseenStates.remove("\(field.name)=\(state)") } }
                if position % 40 == 0 || reading.alarms != readings[max(position - 1, 0)].alarms {
                    let violation = schema.violation(of: try JSONParser.parse(payload))
                    #expect(violation == nil, "\(script): \(violation ?? "")")
                }
            }
        }
        #expect(unseenAlarms.isEmpty, "alarms never raised: \(unseenAlarms.sorted())")
        #expect(unseenStates.isEmpty, "states never reported: \(unseenStates.sorted())")
    }

    /// Runs `script` on a fresh sensor and returns its readings, checking rule 8
    /// (nothing from an on-change device before it says it is due) on the way.
    private static func explore(_ plugin: AnySensorPlugin, _ script: EventScript, hours: Double) throws -> [Reading] {
        var drive = PluginDrive(plugin)
        let onChange = if case .onChange = plugin.descriptor.reporting { true } else { false }
        let step = 15.0
        var sinceEvent = Double.infinity
        let checkDue: (Reading?, Timestamp, Timestamp) -> Void = { reading, due, now in
            if onChange, reading != nil, sinceEvent > step {
                #expect(now >= due, "reported at \(now) before its due time \(due)")
            }
            sinceEvent += step
        }
        drive.run(for: 60, every: step, check: checkDue)
        for event in script.events {
            try drive.apply(event.name, event.parameters)
            sinceEvent = 0
            drive.run(for: 5, every: 5, check: checkDue)
        }
        drive.run(for: hours * 3600, every: step, check: checkDue)
        return drive.readings
    }
}
