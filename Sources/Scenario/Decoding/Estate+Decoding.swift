import Yams

/// `estate:` — a number of identical houses, or a list of house groups:
///
/// ```yaml
/// estate:
///   houses: 200                 # or a list: - { count: 10, owner: 1, sensors: …, appliances: … }
///   owners: 50                  # default: one per house
///   sensors: { fire_co: 1, leak: 1, door_window: 2 }   # per house
///   appliances: 2               # per house, optional
///   mqtt_connections: per_house # or 8 (a pool), or { mode: per_house, max: 4 }
/// ```
extension Estate {
    static let keys = ["houses", "owners", "sensors", "appliances", "mqtt_connections"]
    static let groupKeys = ["count", "name", "owner", "sensors", "appliances"]
    static let connectionKeys = ["mode", "max", "count"]

    static func decode(_ node: Node, reader: ScenarioReader, vocabulary: EventVocabulary) -> Estate? {
        guard let fields = reader.fields(node, "estate", allowed: keys) else { return nil }
        let sharedAppliances = fields["appliances"].map { SensorSpec.decodeAppliances($0, "estate.appliances", reader: reader) }
        let sharedSensors = fields["sensors"].map { SensorSpec.decodeList($0, "estate.sensors", reader: reader, vocabulary: vocabulary) }
        let connections = fields["mqtt_connections"].map { decodeConnections($0, reader: reader) } ?? .perHouse(maximum: MQTTConnections.defaultMaximum)
        guard let housesNode = fields.required("houses", reader: reader, what: "how many houses (like 20), or a list of house groups") else { return nil }
        let layout = SharedLayout(sensors: sharedSensors, appliances: sharedAppliances, node: fields.node)
        let groups: [HouseGroup]?
        if case .sequence = housesNode {
            groups = decodeGroups(housesNode, layout: layout, reader: reader, vocabulary: vocabulary)
        } else {
            groups = reader.integer(housesNode, "estate.houses", in: 1...maximumHouses).flatMap { count in
                group(count: count, name: nil, owner: nil, layout: layout, own: SharedLayout(node: fields.node), path: "estate", reader: reader)
            }.map { [$0] }
        }
        // Both forms keep the house count within limits: a number by its
        // range, a list by the running total in decodeGroups.
        let houseCount = groups?.reduce(0) { $0 + $1.count }
        let owners = fields["owners"].map { reader.integer($0, "estate.owners", in: 1...(houseCount ?? maximumHouses)) } ?? houseCount
        guard let groups, let owners, let connections else { return nil }
        let sensorCount = groups.reduce(0) { $0 + $1.count * $1.sensors.count }
        guard sensorCount <= maximumSensors else {
            reader.report("the estate has \(sensorCount.grouped) sensors (houses × sensors per house); at most \(maximumSensors.grouped) are allowed", at: housesNode)
            return nil
        }
        guard sensorCount > 0 else {
            reader.report("the estate has no sensors, so nothing would be sent; give estate.sensors, like { fire_co: 1, leak: 1 }", at: fields.node)
            return nil
        }
        if let unowned = zip(groups, housesNode.sequence.map(Array.init) ?? []).first(where: { ($0.0.owner ?? 0) > owners }) {
            reader.report("estate.houses: owner \(unowned.0.owner ?? 0) does not exist; owners are numbered 1 to \(owners) (estate.owners)", at: unowned.1)
            return nil
        }
        return Estate(houseGroups: groups, ownerCount: owners, mqttConnections: connections)
    }

    /// The estate-wide `sensors` and `appliances`, which groups inherit.
    private struct SharedLayout {
        /// nil: not given; .some(nil): given but wrong (already reported).
        var sensors: [SensorSpec.Decoded]?? = nil
        var appliances: [String]?? = nil
        var node: Node
    }

    private static func decodeGroups(_ node: Node, layout: SharedLayout, reader: ScenarioReader, vocabulary: EventVocabulary) -> [HouseGroup]? {
        guard let elements = reader.elements(node, "estate.houses", expected: "a number or a list of house groups") else { return nil }
        guard !elements.isEmpty else {
            reader.report("estate.houses is an empty list; give a number of houses or at least one group", at: node)
            return nil
        }
        var groups: [HouseGroup] = []
        var failed = false
        var houses = 0
        var sensors = 0
        for (index, element) in elements.enumerated() where !reader.isExhausted {
            let path = "estate.houses[\(index + 1)]"
            guard let fields = reader.fields(element, path, allowed: groupKeys) else {
                failed = true
                continue
            }
            let count = fields["count"].map { reader.integer($0, fields.path("count"), in: 1...maximumHouses) } ?? 1
            let name = fields["name"].map { reader.label($0, fields.path("name"), maximumLength: SensorSpec.maximumNameLength) }
            let owner = fields["owner"].map { reader.integer($0, fields.path("owner"), in: 1...maximumHouses) }
            let own = SharedLayout(
                sensors: fields["sensors"].map { SensorSpec.decodeList($0, fields.path("sensors"), reader: reader, vocabulary: vocabulary) },
                appliances: fields["appliances"].map { SensorSpec.decodeAppliances($0, fields.path("appliances"), reader: reader) },
                node: element
            )
            guard let count, name != .some(nil), owner != .some(nil),
                  let group = group(count: count, name: name.flatMap { $0 }, owner: owner.flatMap { $0 }, layout: layout, own: own, path: path, reader: reader) else {
                failed = true
                continue
            }
            groups.append(group)
            // Stop early rather than build an absurd estate (aliases let a
            // small file repeat a large group many times).
            houses += group.count
            sensors += group.count * group.sensors.count
            guard houses <= maximumHouses, sensors <= maximumSensors else {
                let limit = houses > maximumHouses ? "\(maximumHouses.grouped) houses" : "\(maximumSensors.grouped) sensors"
                reader.report("estate.houses: with group \(index + 1) the estate passes \(limit), the most allowed", at: element)
                return nil
            }
        }
        return failed || reader.isExhausted ? nil : groups
    }

    /// A group from its own layout, falling back to the estate-wide one,
    /// with every sensor's appliance checked against the group's appliances.
    private static func group(count: Int, name: String?, owner: Int?, layout: SharedLayout, own: SharedLayout, path: String, reader: ScenarioReader) -> HouseGroup? {
        guard let sensorsGiven = own.sensors ?? layout.sensors else {
            reader.report("\(path) needs 'sensors': counts by kind (like { fire_co: 1, leak: 1 }) or a list; give them here or in estate.sensors", at: own.node)
            return nil
        }
        let appliancesGiven = own.appliances ?? layout.appliances ?? []
        guard let sensors = sensorsGiven, let appliances = appliancesGiven else { return nil }
        var failed = false
        let applianceNames = Set(appliances)
        for sensor in sensors {
            if let appliance = sensor.spec.appliance, !applianceNames.contains(appliance) {
                let known = appliances.isEmpty ? "the house has no appliances" : "its appliances are \(appliances.map { "'\($0.shown)'" }.joined(separator: ", "))"
                reader.report("\(path): sensor '\(sensor.spec.name.shown)' is on appliance '\(appliance.shown)', which the house does not have; \(known)", at: sensor.applianceNode ?? own.node)
                failed = true
            }
        }
        guard !failed else { return nil }
        return HouseGroup(count: count, name: name, owner: owner, sensors: sensors.map(\.spec), appliances: appliances)
    }

    private static func decodeConnections(_ node: Node, reader: ScenarioReader) -> MQTTConnections? {
        let path = "estate.mqtt_connections"
        let range = 1...MQTTConnections.maximumConnections
        if case .scalar(let scalar) = node, !node.isNull {
            if scalar.string == "per_house" { return .perHouse(maximum: MQTTConnections.defaultMaximum) }
            guard ScenarioReader.wholeNumber(scalar.string) != nil else {
                reader.report("\(path) must be per_house, a pool size from 1 to \(range.upperBound.grouped), or { mode: per_house, max: 4 }; got \(node.phrase)", at: node)
                return nil
            }
            return reader.integer(node, path, in: range).map { .pooled($0) }
        }
        guard let fields = reader.fields(node, path, allowed: connectionKeys) else { return nil }
        let modeNode = fields.required("mode", reader: reader, what: "per_house or pooled")
        guard let mode = modeNode.flatMap({ reader.scalar($0, fields.path("mode"), expected: "per_house or pooled") }) else { return nil }
        switch mode {
        case "per_house":
            if let countNode = fields["count"] {
                reader.report("\(path).count sets a pool size; with mode per_house, set max instead", at: countNode)
                return nil
            }
            return (fields["max"].map { reader.integer($0, fields.path("max"), in: range) } ?? MQTTConnections.defaultMaximum).map { .perHouse(maximum: $0) }
        case "pooled":
            if let maxNode = fields["max"] {
                reader.report("\(path).max caps per-house connections; with mode pooled, set count instead", at: maxNode)
                return nil
            }
            return fields.required("count", reader: reader, what: "the pool size, from 1 to \(range.upperBound.grouped)")
                .flatMap { reader.integer($0, fields.path("count"), in: range) }.map { .pooled($0) }
        default:
            reader.report("\(path).mode must be per_house or pooled; got '\(mode.shown)'\(Suggestion.didYouMean(mode, among: ["per_house", "pooled"]))", at: modeNode ?? node)
            return nil
        }
    }
}
