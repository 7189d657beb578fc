import Foundation

/// Where a server is: started by hearth, or already running at a URL.
public enum ServiceEndpoint: Equatable, Sendable, CustomStringConvertible {
    case embedded
    case external(ServiceURL)

    public var description: String {
        switch self {
        case .embedded: "embedded"
        case .external(let url): url.text
        }
    }
}

/// A checked URL of an external server: the scheme fits the service, there
/// is a host, and the port (when given) is a real port.
public struct ServiceURL: Equatable, Sendable {
    /// The URL as written, credentials included; Stack connects with it.
    public var text: String
    public var scheme: String
    public var host: String
    public var port: Int?

    /// TLS is implied by the `mqtts` and `rediss` schemes.
    public var impliesTLS: Bool { scheme == "mqtts" || scheme == "rediss" }

    /// Parses `text` for a service that accepts `schemes`; the error says
    /// which part is wrong and which schemes fit.
    public init(_ text: String, schemes: [String]) throws(UnitSyntaxError) {
        let example = "\(schemes[0])://127.0.0.1:\(Self.examplePort[schemes[0]] ?? 1)"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw UnitSyntaxError("'\(text.shown)' is not a URL; write 'embedded' or a URL like \(example)")
        }
        guard schemes.contains(scheme) else {
            throw UnitSyntaxError("'\(text.shown)' has scheme '\(scheme.shown)'; use \(schemes.map { $0 + "://" }.joined(separator: " or ")) (for example \(example)) or 'embedded'")
        }
        guard let host = components.host, !host.isEmpty else {
            throw UnitSyntaxError("'\(text.shown)' names no host; write it like \(example)")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw UnitSyntaxError("'\(text.shown)' has port \(port); ports run from 1 to 65535")
        }
        self.text = text
        self.scheme = scheme
        self.host = host
        self.port = components.port
    }

    private static let examplePort = ["mqtt": 1883, "redis": 6379, "postgres": 5432]
}
