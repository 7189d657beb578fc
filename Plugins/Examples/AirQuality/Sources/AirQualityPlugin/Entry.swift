import SensorKit

/// The table is built once (Swift initialises globals lazily and thread-safely)
/// and never changes, so sharing the pointer is safe.
nonisolated(unsafe) private let table = SensorPluginABI.export(AirQualitySensor())

/// The C entry point hearth's loader looks up with `dlsym`.
@_cdecl("hearth_sensor_plugin_entry")
public func hearthSensorPluginEntry() -> UnsafeRawPointer {
    table
}
