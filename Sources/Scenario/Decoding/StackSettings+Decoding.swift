import Yams

/// `stack:` — `embedded` (the default), or per-server settings:
///
/// ```yaml
/// stack:
///   mqtt: mqtt://127.0.0.1:1883        # or { url: …, protocol: "5" }
///   redis: { maxmemory: 256mb, maxmemory_policy: allkeys-lru, latest_ttl: 1h }
///   postgres: embedded
///   tcp_nodelay: true
///   tls: false
/// ```
extension StackSettings {
    static let keys = ["mqtt", "redis", "postgres", "tcp_nodelay", "tls"]
    static let mqttKeys = ["url", "protocol"]
    static let redisKeys = ["url", "maxmemory", "maxmemory_policy", "latest_ttl"]
    static let postgresKeys = ["url"]
    static let maxMemoryRange = ByteSize.megabytes(1)...ByteSize.gigabytes(1024)
    static let latestTTLRange = Duration.seconds(1)...Duration.seconds(30 * 86_400)

    static func decode(_ node: Node?, reader: ScenarioReader) -> StackSettings? {
        guard let node else { return StackSettings() }
        if case .scalar(let scalar) = node, !node.isNull {
            guard scalar.string == "embedded" else {
                reader.report("stack must be 'embedded' or a mapping with keys \(keys.joined(separator: ", ")); got \(node.phrase)", at: node)
                return nil
            }
            return StackSettings()
        }
        guard let fields = reader.fields(node, "stack", allowed: keys) else { return nil }
        let mqtt = decodeMQTT(fields["mqtt"], reader: reader)
        let redis = decodeRedis(fields["redis"], reader: reader)
        let postgres = service(fields["postgres"], "stack.postgres", schemes: ["postgres", "postgresql"], keys: postgresKeys, reader: reader)
            .map { PostgresSettings(endpoint: $0.endpoint) }
        let noDelay = fields["tcp_nodelay"].map { reader.bool($0, "stack.tcp_nodelay") } ?? true
        let tls = fields["tls"].map { reader.bool($0, "stack.tls") } ?? false
        guard let mqtt, let redis, let postgres, let noDelay, let tls else { return nil }
        return StackSettings(mqtt: mqtt, redis: redis, postgres: postgres, tcpNoDelay: noDelay, tls: tls)
    }

    private static func decodeMQTT(_ node: Node?, reader: ScenarioReader) -> MQTTSettings? {
        guard let service = service(node, "stack.mqtt", schemes: ["mqtt", "mqtts"], keys: mqttKeys, reader: reader) else { return nil }
        let version = service.fields?["protocol"].map { decodeProtocolVersion($0, reader: reader) } ?? .v311
        return version.map { MQTTSettings(endpoint: service.endpoint, protocolVersion: $0) }
    }

    private static func decodeProtocolVersion(_ node: Node, reader: ScenarioReader) -> MQTTProtocolVersion? {
        let expected = "\"3.1.1\" or \"5\""
        guard let text = reader.scalar(node, "stack.mqtt.protocol", expected: expected) else { return nil }
        switch text.lowercased().trimmingBlanks {
        case "3.1.1", "311", "v3.1.1": return .v311
        case "5", "5.0", "v5": return .v5
        default:
            reader.report("stack.mqtt.protocol must be \(expected); got '\(text.shown)'", at: node)
            return nil
        }
    }

    private static func decodeRedis(_ node: Node?, reader: ScenarioReader) -> RedisSettings? {
        guard let service = service(node, "stack.redis", schemes: ["redis", "rediss"], keys: redisKeys, reader: reader) else { return nil }
        let defaults = RedisSettings()
        let fields = service.fields
        let maxMemory = fields?["maxmemory"].map { reader.size($0, "stack.redis.maxmemory", in: maxMemoryRange) } ?? defaults.maxMemory
        let policy = fields?["maxmemory_policy"].map { reader.choice($0, "stack.redis.maxmemory_policy", as: EvictionPolicy.self) } ?? defaults.evictionPolicy
        let ttl = fields?["latest_ttl"].map { decodeTTL($0, reader: reader) } ?? defaults.latestTTL
        guard let maxMemory, let policy, let ttl else { return nil }
        return RedisSettings(endpoint: service.endpoint, maxMemory: maxMemory, evictionPolicy: policy, latestTTL: ttl)
    }

    /// Whole seconds, because Redis's `EX` takes seconds.
    private static func decodeTTL(_ node: Node, reader: ScenarioReader) -> Duration? {
        guard let ttl = reader.duration(node, "stack.redis.latest_ttl", in: latestTTLRange) else { return nil }
        guard ttl.components.attoseconds == 0 else {
            reader.report("stack.redis.latest_ttl must be whole seconds, because Redis's EX takes seconds; got \(ttl.scenarioText)", at: node)
            return nil
        }
        return ttl
    }

    /// A server given as `embedded`, a URL, or a mapping whose `url` is one
    /// of those (the mapping's other keys are the caller's).
    private static func service(_ node: Node?, _ path: String, schemes: [String], keys: [String], reader: ScenarioReader) -> (endpoint: ServiceEndpoint, fields: ScenarioReader.Fields?)? {
        guard let node else { return (.embedded, nil) }
        if case .scalar = node, !node.isNull {
            return endpoint(node, path, schemes: schemes, reader: reader).map { ($0, nil) }
        }
        guard let fields = reader.fields(node, path, allowed: keys) else { return nil }
        guard let urlNode = fields["url"] else { return (.embedded, fields) }
        return endpoint(urlNode, fields.path("url"), schemes: schemes, reader: reader).map { ($0, fields) }
    }

    private static func endpoint(_ node: Node, _ path: String, schemes: [String], reader: ScenarioReader) -> ServiceEndpoint? {
        guard let text = reader.scalar(node, path, expected: "'embedded' or a \(schemes[0]):// URL") else { return nil }
        if text == "embedded" { return .embedded }
        do {
            return .external(try ServiceURL(text, schemes: schemes))
        } catch {
            reader.report("\(path): \(error.message)", at: node)
            return nil
        }
    }
}
