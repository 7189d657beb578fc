/// One mistake in a scenario file, located so an editor can jump to it.
public struct ScenarioDiagnostic: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation
    /// Says what is wrong and what is allowed (the values, or the range).
    public var message: String

    public init(file: String, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// `FILE:LINE:COL: message`, the form compilers use and editors link;
    /// `FILE: message` for problems with the file as a whole.
    public var description: String {
        location == .unknown ? "\(file): \(message)" : "\(file):\(location.line):\(location.column): \(message)"
    }
}

/// Every mistake found in a scenario file, in file order. Validation keeps
/// going after the first mistake so that one run shows them all.
public struct ScenarioValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var diagnostics: [ScenarioDiagnostic]

    public init(diagnostics: [ScenarioDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
