#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SensorKit

/// Loads a sensor plugin from a shared library at run time.
///
/// The library exports `hearth_sensor_plugin_entry` (see `SensorPluginABI`),
/// which returns a table of C function pointers; everything crosses that C
/// boundary, so the library may link its own copy of SensorKit without its
/// type metadata clashing with the host's.
public enum SharedLibraryPlugin {
    /// The plugin in the library at `path`. The library stays loaded for the
    /// life of the process: groups made from it call into its code, and
    /// unloading Swift code is not supported anyway.
    public static func load(path: String) throws(PluginLoadError) -> AnySensorPlugin {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw PluginLoadError(.cannotOpen, "cannot load plugin library \(path): \(lastError())", path: path)
        }
        guard let symbol = dlsym(handle, SensorPluginABI.entryPointSymbol) else {
            throw PluginLoadError(
                .noEntryPoint,
                "\(path) is not a hearth sensor plugin: it exports no \(SensorPluginABI.entryPointSymbol)()",
                path: path
            )
        }
        typealias Entry = @convention(c) () -> UnsafeRawPointer?
        let entry = unsafeBitCast(symbol, to: Entry.self)
        guard let table = entry() else {
            throw PluginLoadError(.badTable, "\(path): \(SensorPluginABI.entryPointSymbol)() returned nothing", path: path)
        }
        do {
            return try AnySensorPlugin(abiTable: table, origin: path)
        } catch {
            throw PluginLoadError(.badTable, "\(path): \(error.message)", path: path)
        }
    }

    private static func lastError() -> String {
        dlerror().map { String(cString: $0) } ?? "unknown error"
    }
}
