/// The URLs of a running stack, embedded or external. These are what every
/// client (and every other hearth process) needs, so `hearth stack up` prints
/// them and writes them to the run directory's `stack.json`.
public struct StackEndpoints: Sendable, Codable, Equatable {
    /// `mqtt://127.0.0.1:PORT`
    public var mqtt: String?
    /// `redis://127.0.0.1:PORT`
    public var redis: String?
    /// `postgres://postgres@127.0.0.1:PORT/postgres`
    public var postgres: String?

    public init(mqtt: String? = nil, redis: String? = nil, postgres: String? = nil) {
        self.mqtt = mqtt
        self.redis = redis
        self.postgres = postgres
    }

    public subscript(service: StackService) -> String? {
        get {
            switch service {
            case .mqtt: mqtt
            case .redis: redis
            case .postgres: postgres
            }
        }
        set {
            switch service {
            case .mqtt: mqtt = newValue
            case .redis: redis = newValue
            case .postgres: postgres = newValue
            }
        }
    }
}
