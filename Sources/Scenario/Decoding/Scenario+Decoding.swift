import Yams

/// The top level of a scenario file. Each section has its own decoder in
/// `<Type>+Decoding.swift`. Sections are read in an order that lets checks
/// spanning sections happen where the value is, with its line: the estate
/// first (its sensor count turns per-sensor rates into totals), then the
/// load (its duration bounds event times), then events and gates.
extension Scenario {
    static let topLevelKeys = ["version", "name", "description", "seed", "stack", "estate", "load", "events", "gates", "outputs", "api", "dashboard"]

    static func decode(_ root: Node, reader: ScenarioReader, vocabulary: EventVocabulary) -> Scenario? {
        guard let fields = reader.fields(root, "", allowed: topLevelKeys) else { return nil }
        if let node = fields["version"] {
            _ = reader.integer(node, "version", in: currentVersion...currentVersion)
        }
        let name = fields.required("name", reader: reader, what: "a short name for the reports, like smoke").flatMap { decodeName($0, reader: reader) }
        let description = fields["description"].flatMap { reader.text($0, "description") } ?? ""
        let seed = fields["seed"].map { reader.integer($0, "seed", in: 0...Int.max) } ?? Int(defaultSeed)
        let stack = StackSettings.decode(fields["stack"], reader: reader)
        let estate = fields.required("estate", reader: reader, what: "the houses, owners and sensors")
            .flatMap { Estate.decode($0, reader: reader, vocabulary: vocabulary) }
        let loadResult = fields.required("load", reader: reader, what: "the rate, and a duration or stages")
            .flatMap { LoadProfile.decode($0, reader: reader, sensorCount: estate?.sensorCount) }
        let events = fields["events"].flatMap {
            ScenarioEvent.decodeList($0, reader: reader, vocabulary: vocabulary, estate: estate, runDuration: loadResult?.profile.duration)
        } ?? []
        let peakRate = estate.flatMap { estate in loadResult.map { RateSchedule(stages: $0.profile.stages, sensorCount: estate.sensorCount).peakRate(measuredOnly: true) } }
        let runGates = fields["gates"].flatMap { Gate.decodeGates($0, "gates", stage: nil, peakRate: peakRate, reader: reader) } ?? []
        let outputs = OutputSettings.decode(fields["outputs"], reader: reader)
        let api = APISettings.decode(api: fields["api"], dashboard: fields["dashboard"], reader: reader)

        guard let name, let seed, let stack, let estate, let loadResult, let outputs, let api else { return nil }
        return Scenario(
            name: name,
            description: description,
            seed: UInt64(seed),
            stack: stack,
            estate: estate,
            load: loadResult.profile,
            events: events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element),
            gates: runGates + loadResult.stageGates,
            outputs: outputs,
            api: api
        )
    }

    static let maximumNameLength = 64

    /// Names become report file names, so they stay within a safe alphabet.
    private static func decodeName(_ node: Node, reader: ScenarioReader) -> String? {
        guard let name = reader.scalar(node, "name", expected: "a short name for the reports, like smoke") else { return nil }
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
        guard allowed, (1...maximumNameLength).contains(name.count), name.first != ".", name.first != "-" else {
            reader.report("name must be 1 to \(maximumNameLength) letters, digits, '.', '-' or '_', not starting with '.' or '-' (it names the report files); got '\(name.shown)'", at: node)
            return nil
        }
        return name
    }
}

extension ScenarioReader.Fields {
    /// The value of a key that must be present; reports it missing otherwise.
    func required(_ key: String, reader: ScenarioReader, what: String) -> Node? {
        if let node = self[key] { return node }
        let place = path.isEmpty ? "the scenario" : path
        reader.report("\(place) needs '\(key)': \(what)", at: node)
        return nil
    }
}
