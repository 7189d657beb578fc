/// Which reports a run writes, and where.
public struct OutputSettings: Equatable, Sendable {
    /// In the order given, without repeats.
    public var formats: [ReportFormat]
    /// Relative to where hearth runs.
    public var directory: String

    public init(formats: [ReportFormat] = ReportFormat.allCases, directory: String = "Reports") {
        self.formats = formats
        self.directory = directory
    }
}

public enum ReportFormat: String, CaseIterable, Equatable, Sendable {
    /// For machines and `hearth report merge`.
    case json
    /// For people, with charts.
    case html
    /// For CI test views.
    case junit
}

/// Whether the HTTP API and live dashboard run alongside the load.
public struct APISettings: Equatable, Sendable {
    public var enabled: Bool
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// The browser page with live alarms; it is served by the API, so it
    /// implies `enabled`.
    public var dashboard: Bool

    public init(enabled: Bool = false, host: String = "127.0.0.1", port: Int = 8080, dashboard: Bool = false) {
        self.enabled = enabled || dashboard
        self.host = host
        self.port = port
        self.dashboard = dashboard
    }
}
