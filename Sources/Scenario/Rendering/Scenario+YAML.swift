import Yams

/// The scenario written back as YAML with every default filled in, for
/// `hearth scenario show`: what a run will actually do, not only what the
/// file says. The output is itself a valid scenario that loads back to an
/// equal value (event and gate locations aside).
extension Scenario {
    public var resolvedYAML: String {
        let root = YAMLBuilder.mapping([
            ("version", .plain("\(Self.currentVersion)")),
            ("name", .text(name)),
            ("description", .text(description)),
            ("seed", .plain("\(seed)")),
            ("stack", stack.yamlNode),
            ("estate", estate.yamlNode),
            ("load", load.yamlNode(gates: gates)),
            ("events", YAMLBuilder.sequence(events.map(\.yamlNode))),
            ("gates", Gate.yamlNode(runGates)),
            ("outputs", YAMLBuilder.mapping([
                ("formats", YAMLBuilder.sequence(outputs.formats.map { .plain($0.rawValue) }, flow: true)),
                ("directory", .text(outputs.directory)),
            ])),
            ("api", YAMLBuilder.mapping([
                ("enabled", .bool(api.enabled)), ("host", .text(api.host)), ("port", .plain("\(api.port)")),
            ], flow: true)),
            ("dashboard", .bool(api.dashboard)),
        ])
        // Every node is a plain string, list or mapping, which the emitter
        // always accepts; the fallback only guards against a Yams change.
        return (try? Yams.serialize(node: root, width: -1, allowUnicode: true)) ?? "# could not render \(name)\n"
    }
}

extension StackSettings {
    var yamlNode: Node {
        YAMLBuilder.mapping([
            ("mqtt", YAMLBuilder.mapping([("url", .text(mqtt.endpoint.description)), ("protocol", .text(mqtt.protocolVersion.rawValue, quoted: true))], flow: true)),
            ("redis", YAMLBuilder.mapping([
                ("url", .text(redis.endpoint.description)),
                ("maxmemory", .plain(redis.maxMemory.scenarioText)),
                ("maxmemory_policy", .plain(redis.evictionPolicy.rawValue)),
                ("latest_ttl", .plain(redis.latestTTL.scenarioText)),
            ], flow: true)),
            ("postgres", YAMLBuilder.mapping([("url", .text(postgres.endpoint.description))], flow: true)),
            ("tcp_nodelay", .bool(tcpNoDelay)),
            ("tls", .bool(tls)),
        ])
    }
}

extension Estate {
    var yamlNode: Node {
        let connections: Node
        switch mqttConnections {
        case .perHouse(let maximum):
            connections = YAMLBuilder.mapping([("mode", .plain("per_house")), ("max", .plain("\(maximum)"))], flow: true)
        case .pooled(let count):
            connections = YAMLBuilder.mapping([("mode", .plain("pooled")), ("count", .plain("\(count)"))], flow: true)
        }
        let groups = houseGroups.map { group in
            var pairs: [(String, Node)] = [("count", .plain("\(group.count)"))]
            if let name = group.name { pairs.append(("name", .text(name))) }
            if let owner = group.owner { pairs.append(("owner", .plain("\(owner)"))) }
            pairs.append(("sensors", YAMLBuilder.sequence(group.sensors.map { sensor in
                var fields: [(String, Node)] = [("kind", .text(sensor.kind.rawValue)), ("name", .text(sensor.name))]
                if let appliance = sensor.appliance { fields.append(("appliance", .text(appliance))) }
                return YAMLBuilder.mapping(fields, flow: true)
            })))
            pairs.append(("appliances", YAMLBuilder.sequence(group.appliances.map { .text($0) }, flow: true)))
            return YAMLBuilder.mapping(pairs)
        }
        return YAMLBuilder.mapping([
            ("houses", YAMLBuilder.sequence(groups)),
            ("owners", .plain("\(ownerCount)")),
            ("mqtt_connections", connections),
        ])
    }
}

extension LoadProfile {
    func yamlNode(gates: [Gate]) -> Node {
        YAMLBuilder.mapping([
            ("stages", YAMLBuilder.sequence(stages.map { $0.yamlNode(gates: gates.filter { [name = $0.name] in $0.stage == name }) })),
            ("qos", .plain("\(qos.rawValue)")),
            ("transport", .plain(transport.rawValue)),
            ("history", .bool(history)),
            ("keys", .text(keys.description)),
        ])
    }
}

extension Stage {
    func yamlNode(gates: [Gate]) -> Node {
        var pairs: [(String, Node)] = [(shape.kind.rawValue, .plain(duration.scenarioText)), ("name", .text(name))]
        switch shape {
        case .warmUp(let rate), .constant(let rate), .soak(let rate):
            pairs.append(("rate", .plain(rate.scenarioText)))
        case .ramp(let from, let to):
            pairs += [("from", .plain(from.scenarioText)), ("to", .plain(to.scenarioText))]
        case .step(let from, let to, let steps):
            pairs += [("from", .plain(from.scenarioText)), ("to", .plain(to.scenarioText)), ("steps", .plain("\(steps)"))]
        case .spike(let base, let peak, let peakStart, let peakDuration):
            pairs += [
                ("rate", .plain(base.scenarioText)), ("peak", .plain(peak.scenarioText)),
                ("peak_duration", .plain(peakDuration.scenarioText)), ("peak_at", .plain(peakStart.scenarioText)),
            ]
        }
        pairs.append(("measured", .bool(measured)))
        if !gates.isEmpty { pairs.append(("gates", Gate.yamlNode(gates))) }
        return YAMLBuilder.mapping(pairs)
    }
}

extension ScenarioEvent {
    var yamlNode: Node {
        var pairs: [(String, Node)] = [("at", .plain(at.scenarioText)), ("event", .plain(name))]
        switch action {
        case .sensor(let trigger):
            pairs.append(("kind", .text(trigger.kind.rawValue)))
            pairs.append(("houses", .text(trigger.houses.description, quoted: true)))
            for (name, value) in trigger.parameters.sorted(by: { $0.key < $1.key }) {
                pairs.append((name, .plain(Rate.format(value))))
            }
        case .fault(let fault):
            if let duration = fault.duration { pairs.append(("duration", .plain(duration.scenarioText))) }
        }
        return YAMLBuilder.mapping(pairs, flow: true)
    }
}

extension Gate {
    static func yamlNode(_ gates: [Gate]) -> Node {
        YAMLBuilder.mapping(gates.map { ($0.metric.rawValue, .text($0.expression, quoted: true)) })
    }
}
