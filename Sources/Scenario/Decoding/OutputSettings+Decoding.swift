import Yams

/// `outputs:`, `api:` and `dashboard:`:
///
/// ```yaml
/// outputs:
///   formats: [json, html, junit]   # default: all three
///   directory: Reports             # default
/// api: true                        # or { host: 127.0.0.1, port: 8080 }
/// dashboard: true                  # the live page; needs the API
/// ```
extension OutputSettings {
    static let keys = ["formats", "directory"]

    static func decode(_ node: Node?, reader: ScenarioReader) -> OutputSettings? {
        guard let node else { return OutputSettings() }
        guard let fields = reader.fields(node, "outputs", allowed: keys) else { return nil }
        let formats = fields["formats"].map { decodeFormats($0, fields.path("formats"), reader: reader) } ?? ReportFormat.allCases
        let directory = fields["directory"].map { reader.label($0, fields.path("directory"), maximumLength: 4096) } ?? OutputSettings().directory
        guard let formats, let directory else { return nil }
        return OutputSettings(formats: formats, directory: directory)
    }

    /// One format or a list; repeats are dropped, order is kept.
    private static func decodeFormats(_ node: Node, _ path: String, reader: ScenarioReader) -> [ReportFormat]? {
        let nodes: [Node]
        if case .sequence = node {
            guard let elements = reader.elements(node, path, expected: "a list of formats") else { return nil }
            nodes = elements
        } else {
            nodes = [node]
        }
        var formats: [ReportFormat] = []
        var failed = false
        for element in nodes where !reader.isExhausted {
            guard let format = reader.choice(element, path, as: ReportFormat.self) else {
                failed = true
                continue
            }
            if !formats.contains(format) { formats.append(format) }
        }
        guard !failed, !reader.isExhausted else { return nil }
        guard !formats.isEmpty else {
            reader.report("\(path) is empty; list at least one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))", at: node)
            return nil
        }
        return formats
    }
}

extension APISettings {
    static let keys = ["enabled", "host", "port"]

    static func decode(api node: Node?, dashboard dashboardNode: Node?, reader: ScenarioReader) -> APISettings? {
        let dashboard = dashboardNode.map { reader.bool($0, "dashboard") } ?? false
        let defaults = APISettings()
        var settings: APISettings?
        var explicitlyOff = false
        switch node {
        case nil:
            settings = defaults
        case let node? where isScalar(node):
            settings = reader.bool(node, "api").map { APISettings(enabled: $0) }
            explicitlyOff = settings?.enabled == false
        case let node?:
            guard let fields = reader.fields(node, "api", allowed: keys) else { return nil }
            let enabled = fields["enabled"].map { reader.bool($0, "api.enabled") } ?? true
            let host = fields["host"].map { reader.label($0, "api.host", maximumLength: 255) } ?? defaults.host
            let port = fields["port"].map { reader.integer($0, "api.port", in: 0...65_535) } ?? defaults.port
            if let enabled, let host, let port {
                settings = APISettings(enabled: enabled, host: host, port: port)
                explicitlyOff = !enabled
            }
        }
        guard var settings, let dashboard else { return nil }
        if dashboard, explicitlyOff {
            reader.report("dashboard is served by the API, but api is off; set api: true or drop dashboard", at: dashboardNode ?? node ?? .scalar(.init("")))
            return nil
        }
        settings = APISettings(enabled: settings.enabled, host: settings.host, port: settings.port, dashboard: dashboard)
        return settings
    }

    private static func isScalar(_ node: Node) -> Bool {
        if case .scalar = node { return true }
        return false
    }
}
