/// Why a plugin library could not be used. One line for the user that names
/// the library and what to do.
public struct PluginLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `dlopen` failed: missing file, wrong architecture, unresolved symbols.
        public static let cannotOpen = Code(rawValue: "cannot_open")
        /// The library has no `hearth_sensor_plugin_entry` symbol.
        public static let noEntryPoint = Code(rawValue: "no_entry_point")
        /// The entry point returned something that is not a plugin table of this version.
        public static let badTable = Code(rawValue: "bad_table")
        public static let duplicateKind = Code(rawValue: "duplicate_kind")
    }

    public var code: Code
    public var message: String
    public var path: String

    public init(_ code: Code, _ message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
