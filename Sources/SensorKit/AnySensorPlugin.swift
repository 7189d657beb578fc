/// A plugin of any kind, built in or loaded at run time, behind one type: what
/// the catalogue lists and the harness asks for groups.
public struct AnySensorPlugin: Sendable, CustomStringConvertible {
    public let descriptor: SensorDescriptor
    /// `MemoryLayout<State>.size` of the plugin's per-sensor state.
    public let stateSize: Int
    /// Where the plugin came from: "built-in" or the path of its shared library.
    public let origin: String
    private let groupMaker: @Sendable () -> any SensorGroup

    public init<Plugin: SensorPlugin>(_ plugin: Plugin) {
        let descriptor = plugin.descriptor
        self.descriptor = descriptor
        self.stateSize = MemoryLayout<Plugin.State>.size
        self.origin = "built-in"
        self.groupMaker = { PluginSensorGroup(plugin, descriptor: descriptor) }
    }

    /// A plugin whose groups come from `makeGroup`: how run-time plugins are wrapped.
    public init(descriptor: SensorDescriptor, stateSize: Int, origin: String, makeGroup: @escaping @Sendable () -> any SensorGroup) {
        self.descriptor = descriptor
        self.stateSize = stateSize
        self.origin = origin
        self.groupMaker = makeGroup
    }

    public var kind: SensorKind { descriptor.kind }

    /// The events scenario files may send to sensors of this kind.
    public var supportedEvents: [EventDescriptor] { descriptor.events }

    /// A new, empty group for sensors of this kind.
    public func makeGroup() -> any SensorGroup { groupMaker() }

    public var description: String { "\(descriptor.kind) (\(descriptor.displayName), \(origin))" }
}
