import SensorKit
import Yams

/// The sensors and appliances of one house:
///
/// ```yaml
/// sensors: { fire_co: 2, leak: 1 }          # counts by kind, or
/// sensors:
///   - fire_co                              # a kind alone, or
///   - { kind: leak, name: Laundry, appliance: Washing machine }
/// appliances: 2                             # a count, or names:
/// appliances: [Washing machine, Boiler]
/// ```
extension SensorSpec {
    static let keys = ["kind", "name", "appliance"]
    static let maximumNameLength = 200

    /// A sensor whose `appliance` still has to be checked against the
    /// appliances of the houses it ends up in.
    struct Decoded {
        var spec: SensorSpec
        var applianceNode: Node?
    }

    static func decodeList(_ node: Node, _ path: String, reader: ScenarioReader, vocabulary: EventVocabulary) -> [Decoded]? {
        if case .mapping(let mapping) = node {
            return decodeCounts(mapping, path, reader: reader, vocabulary: vocabulary)
        }
        guard let elements = reader.elements(node, path, expected: "counts by kind (like { fire_co: 2, leak: 1 }) or a list of sensors") else { return nil }
        guard elements.count <= Estate.maximumSensorsPerHouse else {
            reader.report("\(path) lists \(elements.count.grouped) sensors; a house has at most \(Estate.maximumSensorsPerHouse.grouped)", at: node)
            return nil
        }
        var sensors: [Decoded] = []
        var failed = false
        var namesSeen: [String: SourceLocation] = [:]
        var unnamed: [(index: Int, kind: SensorKind)] = []
        for (index, element) in elements.enumerated() where !reader.isExhausted {
            let elementPath = "\(path)[\(index + 1)]"
            guard let decoded = decodeOne(element, elementPath, reader: reader, vocabulary: vocabulary) else {
                failed = true
                continue
            }
            if decoded.spec.name.isEmpty {
                unnamed.append((sensors.count, decoded.spec.kind))
            } else if let first = namesSeen[decoded.spec.name] {
                reader.report("\(elementPath).name '\(decoded.spec.name.shown)' is already used at line \(first.line); sensor names must differ within a house", at: element)
                failed = true
            } else {
                namesSeen[decoded.spec.name] = element.location
            }
            sensors.append(decoded)
        }
        guard !failed, !reader.isExhausted else { return nil }
        var used = Set(namesSeen.keys)
        var numberByKind: [SensorKind: Int] = [:]
        for (index, kind) in unnamed {
            sensors[index].spec.name = nextFreeName(kind, numberByKind: &numberByKind, used: &used)
        }
        return sensors
    }

    private static func decodeOne(_ node: Node, _ path: String, reader: ScenarioReader, vocabulary: EventVocabulary) -> Decoded? {
        if case .scalar = node {
            return reader.scalar(node, path, expected: "a sensor kind").flatMap { knownKind(named: $0, at: node, path, reader: reader, vocabulary: vocabulary) }
                .map { Decoded(spec: SensorSpec(kind: $0, name: ""), applianceNode: nil) }
        }
        guard let fields = reader.fields(node, path, allowed: keys) else { return nil }
        let kind = fields.required("kind", reader: reader, what: "the sensor kind, one of \(vocabulary.kinds.map(\.rawValue).joined(separator: ", "))")
            .flatMap { node in reader.scalar(node, fields.path("kind"), expected: "a sensor kind").flatMap { knownKind(named: $0, at: node, fields.path("kind"), reader: reader, vocabulary: vocabulary) } }
        let name = fields["name"].map { reader.label($0, fields.path("name"), maximumLength: maximumNameLength) } ?? ""
        let appliance = fields["appliance"].map { reader.label($0, fields.path("appliance"), maximumLength: maximumNameLength) }
        guard let kind, let name, appliance != .some(nil) else { return nil }
        return Decoded(spec: SensorSpec(kind: kind, name: name, appliance: appliance.flatMap { $0 }), applianceNode: fields["appliance"])
    }

    private static func decodeCounts(_ mapping: Node.Mapping, _ path: String, reader: ScenarioReader, vocabulary: EventVocabulary) -> [Decoded]? {
        var counts: [(SensorKind, Int)] = []
        var failed = false
        for (keyNode, valueNode) in mapping where !reader.isExhausted {
            guard let kindText = reader.scalar(keyNode, path, expected: "a sensor kind"),
                  let kind = knownKind(named: kindText, at: keyNode, path, reader: reader, vocabulary: vocabulary),
                  let count = reader.integer(valueNode, "\(path).\(kindText)", in: 0...Estate.maximumSensorsPerHouse) else {
                failed = true
                continue
            }
            counts.append((kind, count))
        }
        guard !failed, !reader.isExhausted else { return nil }
        let total = counts.reduce(0) { $0 + $1.1 }
        guard total <= Estate.maximumSensorsPerHouse else {
            reader.report("\(path) adds up to \(total.grouped) sensors per house; a house has at most \(Estate.maximumSensorsPerHouse.grouped)", at: Node.mapping(mapping))
            return nil
        }
        var used = Set<String>()
        var numberByKind: [SensorKind: Int] = [:]
        return counts.flatMap { kind, count in
            (0..<count).map { _ in Decoded(spec: SensorSpec(kind: kind, name: nextFreeName(kind, numberByKind: &numberByKind, used: &used)), applianceNode: nil) }
        }
    }

    static func knownKind(named text: String, at node: Node, _ path: String, reader: ScenarioReader, vocabulary: EventVocabulary) -> SensorKind? {
        let kind = SensorKind(text)
        guard vocabulary.knows(kind) else {
            let known = vocabulary.kinds.map(\.rawValue)
            reader.report("\(path): unknown sensor kind '\(text.shown)'\(Suggestion.didYouMean(text, among: known)); known kinds: \(known.joined(separator: ", "))", at: node)
            return nil
        }
        return kind
    }

    /// `fire_co 1`, `fire_co 2`, …, skipping names the file already uses.
    private static func nextFreeName(_ kind: SensorKind, numberByKind: inout [SensorKind: Int], used: inout Set<String>) -> String {
        var number = numberByKind[kind, default: 0]
        var name: String
        repeat {
            number += 1
            name = "\(kind.rawValue) \(number)"
        } while used.contains(name)
        numberByKind[kind] = number
        used.insert(name)
        return name
    }

    /// Appliance names: a count (`2` gives `appliance 1`, `appliance 2`) or a
    /// list of distinct names.
    static func decodeAppliances(_ node: Node, _ path: String, reader: ScenarioReader) -> [String]? {
        if case .scalar = node, !node.isNull {
            return reader.integer(node, path, in: 0...Estate.maximumAppliancesPerHouse).map { count in
                (0..<count).map { "appliance \($0 + 1)" }
            }
        }
        guard let elements = reader.elements(node, path, expected: "a count or a list of appliance names") else { return nil }
        guard elements.count <= Estate.maximumAppliancesPerHouse else {
            reader.report("\(path) lists \(elements.count.grouped) appliances; a house has at most \(Estate.maximumAppliancesPerHouse.grouped)", at: node)
            return nil
        }
        var names: [String] = []
        var seen = Set<String>()
        var failed = false
        for (index, element) in elements.enumerated() where !reader.isExhausted {
            guard let name = reader.label(element, "\(path)[\(index + 1)]", maximumLength: maximumNameLength) else {
                failed = true
                continue
            }
            if !seen.insert(name).inserted {
                reader.report("\(path)[\(index + 1)]: appliance '\(name.shown)' is listed twice; names must differ within a house", at: element)
                failed = true
            }
            names.append(name)
        }
        return failed || reader.isExhausted ? nil : names
    }
}
