import SensorKit
import FireCOSensor
import LeakSensor
import DoorWindowSensor
import ThermostatSensor
import MotionSensor
import GarageSensor

/// The sensor kinds a run can use: the six built in, plus any loaded from
/// shared libraries. Scenario validation, the harness, the subscriber and
/// `hearth plugins` all look kinds up here, so they agree on what exists.
public struct SensorCatalog: Sendable {
    /// Plugins in catalogue order: built-in ones first, in `SensorKind.builtIn` order.
    public private(set) var plugins: [AnySensorPlugin]

    public init(plugins: [AnySensorPlugin]) {
        self.plugins = plugins
    }

    /// The six built-in plugins.
    public static let builtIn = SensorCatalog(plugins: [
        AnySensorPlugin(FireCOSensor()),
        AnySensorPlugin(LeakSensor()),
        AnySensorPlugin(DoorWindowSensor()),
        AnySensorPlugin(ThermostatSensor()),
        AnySensorPlugin(MotionSensor()),
        AnySensorPlugin(GarageSensor()),
    ])

    public var kinds: [SensorKind] { plugins.map(\.kind) }

    public func plugin(for kind: SensorKind) -> AnySensorPlugin? {
        plugins.first { $0.kind == kind }
    }

    public func descriptor(for kind: SensorKind) -> SensorDescriptor? {
        plugin(for: kind)?.descriptor
    }

    /// Adds `plugin`; a kind may be registered only once, so a library cannot
    /// silently replace a built-in kind.
    public mutating func register(_ plugin: AnySensorPlugin) throws(PluginLoadError) {
        if let existing = self.plugin(for: plugin.kind) {
            throw PluginLoadError(
                .duplicateKind,
                "kind '\(plugin.kind)' from \(plugin.origin) is already provided by \(existing.origin)",
                path: plugin.origin
            )
        }
        plugins.append(plugin)
    }

    /// The built-in catalogue plus the plugins in the shared libraries at `paths`.
    public static func loading(libraries paths: [String]) throws(PluginLoadError) -> SensorCatalog {
        var catalog = SensorCatalog.builtIn
        for path in paths {
            try catalog.register(try SharedLibraryPlugin.load(path: path))
        }
        return catalog
    }
}
