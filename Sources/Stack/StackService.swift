/// One of the three servers that make up the stack under test.
public enum StackService: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case mqtt
    case redis
    case postgres

    public var description: String { rawValue }

    /// The program that serves it, as Debian installs it.
    var programName: String {
        switch self {
        case .mqtt: "mosquitto"
        case .redis: "redis-server"
        case .postgres: "postgres"
        }
    }

    /// The Debian package a user installs when the program is missing.
    var debianPackage: String {
        switch self {
        case .mqtt: "mosquitto"
        case .redis: "redis-server"
        case .postgres: "postgresql"
        }
    }
}
