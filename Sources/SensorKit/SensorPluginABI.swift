/// The C-ABI boundary for sensor plugins loaded from shared libraries.
///
/// A plugin library links its own copy of SensorKit, so its Swift types have
/// their own metadata: an `as?` cast or a protocol witness from the library
/// would not match the host's. So nothing Swift-typed crosses: the library's
/// entry point returns a pointer to this table of C function pointers, state
/// travels as raw bytes (which is why `State` must be `BitwiseCopyable`), values
/// as doubles (a state field as the index of its value) and declarations and
/// events as JSON. Both sides compile this same declaration, so its layout
/// agrees; `magic` and `version` guard against a library built for another one.
///
/// A plugin library exports it like this:
///
///     @_cdecl("hearth_sensor_plugin_entry")
///     public func hearthSensorPluginEntry() -> UnsafeRawPointer {
///         SensorPluginABI.export(MyPlugin())
///     }
public struct SensorPluginABI {
    /// "HEARTHSP" in ASCII.
    public static let expectedMagic: UInt64 = 0x4845_4152_5448_5350
    /// Bumped whenever this table's layout or meaning changes.
    public static let currentVersion: UInt32 = 1
    /// The C symbol the loader looks up.
    public static let entryPointSymbol = "hearth_sensor_plugin_entry"

    public typealias Context = UnsafeRawPointer
    /// (context, state out, random in/out, start ns)
    public typealias MakeState = @convention(c) (Context, UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int64) -> Void
    /// (context, state in/out, random in/out, now ns)
    public typealias Advance = @convention(c) (Context, UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int64) -> Void
    /// (context, state in/out, now ns, values out [fieldCount], device alarms out) -> 1 reported, 0 silent
    public typealias Report = @convention(c) (Context, UnsafeMutableRawPointer, Int64, UnsafeMutablePointer<Double>, UnsafeMutablePointer<UInt64>) -> Int32
    /// (context, state) -> next due ns
    public typealias NextDue = @convention(c) (Context, UnsafeRawPointer) -> Int64
    /// (context, state in/out, random in/out, event JSON, byte count) -> 0 applied, else refused
    public typealias Apply = @convention(c) (Context, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafePointer<UInt8>, Int) -> Int32

    public var magic: UInt64
    public var version: UInt32
    public var stateSize: UInt32
    public var stateAlignment: UInt32
    public var stateStride: UInt32
    public var context: Context
    /// UTF-8 JSON of the `SensorDescriptor` (see `SensorDescriptor.json`).
    public var descriptorJSON: UnsafePointer<UInt8>
    public var descriptorJSONCount: Int
    public var makeState: MakeState
    public var advance: Advance
    public var report: Report
    public var nextDue: NextDue
    public var apply: Apply
}

extension SensorPluginABI {
    /// The table for `plugin`, allocated once and never freed (a plugin lives as
    /// long as its library is loaded). Call it from the library's entry point.
    public static func export<Plugin: SensorPlugin>(_ plugin: Plugin) -> UnsafeRawPointer {
        let exported = ExportedPlugin(plugin)
        let context = UnsafeRawPointer(Unmanaged.passRetained(exported).toOpaque())
        let json = Array(plugin.descriptor.json.serialized().utf8)
        let jsonBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: json.count)
        jsonBuffer.initialize(from: json, count: json.count)
        let table = UnsafeMutablePointer<SensorPluginABI>.allocate(capacity: 1)
        table.initialize(to: SensorPluginABI(
            magic: expectedMagic, version: currentVersion,
            stateSize: UInt32(MemoryLayout<Plugin.State>.size),
            stateAlignment: UInt32(MemoryLayout<Plugin.State>.alignment),
            stateStride: UInt32(MemoryLayout<Plugin.State>.stride),
            context: context, descriptorJSON: UnsafePointer(jsonBuffer), descriptorJSONCount: json.count,
            makeState: { context, state, random, start in
                ExportedPlugin.from(context).makeState(state, random.assumingMemoryBound(to: SeededRandom.self), start)
            },
            advance: { context, state, random, now in
                ExportedPlugin.from(context).advance(state, random.assumingMemoryBound(to: SeededRandom.self), now)
            },
            report: { context, state, now, values, alarms in
                ExportedPlugin.from(context).report(state, now, values, alarms) ? 1 : 0
            },
            nextDue: { context, state in
                ExportedPlugin.from(context).nextDue(state)
            },
            apply: { context, state, random, json, count in
                ExportedPlugin.from(context).apply(
                    state, random.assumingMemoryBound(to: SeededRandom.self), UnsafeBufferPointer(start: json, count: count)
                ) ? 0 : 1
            }
        ))
        return UnsafeRawPointer(table)
    }
}

/// The plugin side of the table: closures over the concrete plugin, so that
/// the C thunks above need no generic context.
final class ExportedPlugin: @unchecked Sendable {
    let makeState: (UnsafeMutableRawPointer, UnsafeMutablePointer<SeededRandom>, Int64) -> Void
    let advance: (UnsafeMutableRawPointer, UnsafeMutablePointer<SeededRandom>, Int64) -> Void
    let report: (UnsafeMutableRawPointer, Int64, UnsafeMutablePointer<Double>, UnsafeMutablePointer<UInt64>) -> Bool
    let nextDue: (UnsafeRawPointer) -> Int64
    let apply: (UnsafeMutableRawPointer, UnsafeMutablePointer<SeededRandom>, UnsafeBufferPointer<UInt8>) -> Bool

    static func from(_ context: UnsafeRawPointer) -> ExportedPlugin {
        Unmanaged<ExportedPlugin>.fromOpaque(context).takeUnretainedValue()
    }

    init<Plugin: SensorPlugin>(_ plugin: Plugin) {
        let descriptor = plugin.descriptor
        makeState = { state, random, start in
            state.initializeMemory(as: Plugin.State.self, to: plugin.makeState(at: Timestamp(nanosecondsSinceEpoch: start), random: &random.pointee))
        }
        advance = { state, random, now in
            plugin.advance(&state.assumingMemoryBound(to: Plugin.State.self).pointee, to: Timestamp(nanosecondsSinceEpoch: now), random: &random.pointee)
        }
        report = { state, now, values, alarms in
            guard let sample = plugin.report(&state.assumingMemoryBound(to: Plugin.State.self).pointee, at: Timestamp(nanosecondsSinceEpoch: now)) else {
                return false
            }
            // A sample short of values leaves NaN, which fails validation, never a stale value.
            values.update(repeating: .nan, count: descriptor.fields.count)
            for (index, (field, value)) in zip(descriptor.fields, sample.values).enumerated() {
                values[index] = SensorPluginABI.encode(value, as: field)
            }
            alarms.pointee = sample.deviceAlarms.rawValue
            return true
        }
        nextDue = { state in
            plugin.nextDue(state.assumingMemoryBound(to: Plugin.State.self).pointee).nanosecondsSinceEpoch
        }
        apply = { state, random, json in
            guard let event = try? SensorEvent(json: JSONParser.parse(json)), let resolved = try? descriptor.resolve(event) else {
                return false
            }
            plugin.apply(resolved, to: &state.assumingMemoryBound(to: Plugin.State.self).pointee, random: &random.pointee)
            return true
        }
    }
}

/// The table never changes after `export` and its context is an immutable
/// object, so sharing it between threads is safe; groups made from it are not
/// shared (see `SensorGroup`).
extension SensorPluginABI: @unchecked Sendable {}
