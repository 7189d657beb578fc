/// The parts of a `scheme://[user[:password]@]host[:port][/path][?query]` URL, as
/// every hearth command takes them (`--mqtt`, `--redis`). Parsed by hand so
/// that a bad URL gets a message that names the problem and the fix.
public struct ServerURL: Sendable, Equatable {
    public var scheme: String
    public var user: String?
    public var password: String?
    public var host: String
    public var port: Int
    /// What follows the authority, without the leading slash (e.g. a Redis db number).
    public var path: String
    /// `?name=value&…` after the path, e.g. `cafile=/path/ca.crt` on an
    /// `mqtts://` URL: the CA that verifies the broker travels with its address.
    public var query: [String: String] = [:]

    public init(_ url: String, schemes: Set<String>, defaultPort: Int) throws(ServerURLError) {
        let example = "\(schemes.sorted().first ?? "scheme")://HOST:PORT"
        let characters = Array(url)
        guard let schemeEnd = Self.find("://", in: characters) else {
            throw ServerURLError("'\(url)' is not a URL; write it as \(example)")
        }
        scheme = String(characters[..<schemeEnd]).lowercased()
        guard schemes.contains(scheme) else {
            throw ServerURLError("'\(url)' has scheme '\(scheme)'; use \(schemes.sorted().map { $0 + "://" }.joined(separator: " or "))")
        }
        var rest = characters[(schemeEnd + 3)...]
        if let mark = rest.firstIndex(of: "?") {
            for pair in String(rest[(mark + 1)...]).split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            rest = rest[..<mark]
        }
        path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[(slash + 1)...])
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[(at + 1)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[(colon + 1)...])
            } else {
                user = String(credentials)
            }
        }
        if let colon = rest.lastIndex(of: ":") {
            guard let value = Int(String(rest[(colon + 1)...])), (1 ... 65535).contains(value) else {
                throw ServerURLError("'\(url)' has a bad port; use a number from 1 to 65535, as in \(example)")
            }
            port = value
            host = String(rest[..<colon])
        } else {
            port = defaultPort
            host = String(rest)
        }
        guard !host.isEmpty else { throw ServerURLError("'\(url)' has no host; write it as \(example)") }
    }

    private static func find(_ needle: String, in haystack: [Character]) -> Int? {
        let needle = Array(needle)
        guard haystack.count >= needle.count else { return nil }
        for start in 0 ... (haystack.count - needle.count) where Array(haystack[start ..< start + needle.count]) == needle {
            return start
        }
        return nil
    }
}

/// A URL hearth cannot use, with a message that says how to write it.
public struct ServerURLError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
