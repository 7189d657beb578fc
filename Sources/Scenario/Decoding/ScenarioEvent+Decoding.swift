import SensorKit
import Yams

/// `events:` — what happens when:
///
/// ```yaml
/// events:
///   - { at: 30s, event: fire_start, houses: [3] }
///   - { at: 45s, event: leak_start, houses: 10-20 }
///   - { at: 50s, event: setpoint, houses: all, value: 19.5 }
///   - { at: 60s, event: broker_restart }
///   - { at: 90s, event: postgres_stop, duration: 20s }
/// ```
///
/// Sensor event names come from the injected ``EventVocabulary``; `kind:`
/// picks the kind when plugins give two kinds an event of the same name.
extension ScenarioEvent {
    static let triggerKeys = ["at", "event", "houses", "kind"]
    static let faultKeys = ["at", "event", "duration"]
    static let maximumEvents = 100_000
    static let conditionDurationRange = Duration.seconds(1)...Duration.seconds(86_400)
    static let restartDowntimeRange = Duration.zero...Duration.seconds(3600)

    /// What the checks against the rest of the scenario need.
    struct Surroundings {
        var vocabulary: EventVocabulary
        var estate: EstateIndex?
        var runDuration: Duration?

        /// Every key an event may have: the fixed ones and every parameter
        /// name in the vocabulary (which ones fit is checked per event).
        var allowedKeys: [String] {
            let fixed = triggerKeys + ["duration"]
            return fixed + vocabulary.parameterNames.filter { !fixed.contains($0) }
        }
    }

    static func decodeList(_ node: Node, reader: ScenarioReader, vocabulary: EventVocabulary, estate: Estate?, runDuration: Duration?) -> [ScenarioEvent]? {
        guard let elements = reader.elements(node, "events", expected: "a list of events like { at: 30s, event: fire_start, houses: [3] }") else { return nil }
        guard elements.count <= maximumEvents else {
            reader.report("events lists \(elements.count.grouped) events; at most \(maximumEvents.grouped)", at: node)
            return nil
        }
        let surroundings = Surroundings(vocabulary: vocabulary, estate: estate.map(EstateIndex.init), runDuration: runDuration)
        let allowedKeys = surroundings.allowedKeys
        var events: [ScenarioEvent] = []
        var failed = false
        for (index, element) in elements.enumerated() where !reader.isExhausted {
            guard let event = decode(element, "events[\(index + 1)]", allowedKeys: allowedKeys, surroundings: surroundings, reader: reader) else {
                failed = true
                continue
            }
            events.append(event)
        }
        return failed || reader.isExhausted ? nil : events
    }

    private static func decode(_ node: Node, _ path: String, allowedKeys: [String], surroundings: Surroundings, reader: ScenarioReader) -> ScenarioEvent? {
        guard let fields = reader.fields(node, path, allowed: allowedKeys) else { return nil }
        let at = fields.required("at", reader: reader, what: "when it happens, from the start of the run, like 30s")
            .flatMap { reader.duration($0, fields.path("at"), in: .zero...LoadProfile.maximumDuration) }
        guard let nameNode = fields.required("event", reader: reader, what: "what happens, like fire_start or broker_restart"),
              let name = reader.scalar(nameNode, fields.path("event"), expected: "an event name like fire_start") else { return nil }
        let action: Action?
        if let fault = FaultKind(rawValue: name) {
            action = decodeFault(fault, fields: fields, reader: reader).map { .fault($0) }
        } else {
            action = decodeTrigger(name, nameNode: nameNode, fields: fields, surroundings: surroundings, reader: reader).map { .sensor($0) }
        }
        guard let at, let action else { return nil }
        guard checkTiming(at: at, action: action, fields: fields, runDuration: surroundings.runDuration, reader: reader) else { return nil }
        return ScenarioEvent(at: at, action: action, location: node.location)
    }

    private static func decodeFault(_ kind: FaultKind, fields: ScenarioReader.Fields, reader: ScenarioReader) -> Fault? {
        var failed = false
        for key in fields.values.keys.sorted() where !faultKeys.contains(key) {
            reader.report("\(fields.path(key)): \(kind.rawValue) acts on the whole stack and takes no \(key); it takes only at and duration", at: fields.values[key] ?? fields.node)
            failed = true
        }
        let duration: Duration??
        if kind.requiresDuration {
            duration = fields.required("duration", reader: reader, what: "how long \(kind.rawValue) lasts, like 20s")
                .map { reader.duration($0, fields.path("duration"), in: conditionDurationRange) }
        } else {
            duration = fields["duration"].map { reader.duration($0, fields.path("duration"), in: restartDowntimeRange) }
        }
        guard !failed, duration != .some(nil) else { return nil }
        if kind.requiresDuration, duration == nil { return nil }
        return Fault(kind: kind, duration: duration.flatMap { $0 })
    }

    private static func decodeTrigger(_ name: String, nameNode: Node, fields: ScenarioReader.Fields, surroundings: Surroundings, reader: ScenarioReader) -> SensorTrigger? {
        guard let entry = entry(named: name, at: nameNode, fields: fields, vocabulary: surroundings.vocabulary, reader: reader) else { return nil }
        let houses = fields.required("houses", reader: reader, what: "which houses, as \(HouseSelection.expected)")
            .flatMap { HouseSelection.decode($0, fields.path("houses"), reader: reader) }
        let parameters = decodeParameters(entry, fields: fields, reader: reader)
        guard let houses, let parameters else { return nil }
        if let estate = surroundings.estate, let housesNode = fields["houses"],
           !houses.check(against: estate, kind: entry.kind, fields.path("houses"), at: housesNode, reader: reader) {
            return nil
        }
        return SensorTrigger(kind: entry.kind, name: name, houses: houses, parameters: parameters)
    }

    /// The event's parameters, each a key of the event; defaults filled in,
    /// keys the event does not take refused.
    private static func decodeParameters(_ entry: EventVocabulary.Entry, fields: ScenarioReader.Fields, reader: ScenarioReader) -> [String: Double]? {
        var failed = false
        let own = Set(entry.parameters.map(\.name))
        for key in fields.values.keys.sorted() where !triggerKeys.contains(key) && !own.contains(key) {
            let takes = entry.parameters.isEmpty ? "it takes no parameters" : "its parameters are \(entry.parameters.map(\.name).joined(separator: ", "))"
            reader.report("\(fields.path(key)): \(entry.name) has no parameter '\(key)'; \(takes)", at: fields.values[key] ?? fields.node)
            failed = true
        }
        var values: [String: Double] = [:]
        for parameter in entry.parameters {
            let path = fields.path(parameter.name)
            let bounds = "\(Rate.format(parameter.range.lowerBound)) to \(Rate.format(parameter.range.upperBound)) \(parameter.unit)"
            guard let node = fields[parameter.name] else {
                if let fallback = parameter.defaultValue {
                    values[parameter.name] = fallback
                } else {
                    reader.report("\(fields.path("event")): \(entry.name) needs '\(parameter.name)', from \(bounds)", at: fields.node)
                    failed = true
                }
                continue
            }
            let value: Double?
            if parameter.isDuration, !isPlainNumber(node) {
                let range = Duration.seconds(parameter.range.lowerBound)...Duration.seconds(parameter.range.upperBound)
                value = reader.duration(node, path, in: range)?.secondsValue
            } else {
                value = reader.number(node, path, in: parameter.range, unit: parameter.unit)
            }
            guard let value else {
                failed = true
                continue
            }
            values[parameter.name] = value
        }
        return failed ? nil : values
    }

    /// The vocabulary entry for `name`, narrowed by `kind:` when given.
    private static func entry(named name: String, at nameNode: Node, fields: ScenarioReader.Fields, vocabulary: EventVocabulary, reader: ScenarioReader) -> EventVocabulary.Entry? {
        let candidates = vocabulary.entries(named: name)
        guard !candidates.isEmpty else {
            let allNames = vocabulary.entries.map(\.name) + FaultKind.allCases.map(\.rawValue)
            reader.report("\(fields.path("event")): unknown event '\(name.shown)'\(Suggestion.didYouMean(name, among: allNames)); \(describe(vocabulary))", at: nameNode)
            return nil
        }
        guard let kindNode = fields["kind"] else {
            guard candidates.count == 1 else {
                reader.report("\(fields.path("event")): '\(name)' is an event of \(candidates.map(\.kind.rawValue).joined(separator: " and ")); add kind: to say which", at: nameNode)
                return nil
            }
            return candidates[0]
        }
        guard let kindText = reader.scalar(kindNode, fields.path("kind"), expected: "a sensor kind"),
              let kind = SensorSpec.knownKind(named: kindText, at: kindNode, fields.path("kind"), reader: reader, vocabulary: vocabulary) else { return nil }
        guard let entry = candidates.first(where: { $0.kind == kind }) else {
            let own = vocabulary.entries(of: kind).map(\.name)
            reader.report("\(fields.path("event")): \(kind) sensors have no event '\(name.shown)'; theirs are \(own.isEmpty ? "none" : own.joined(separator: ", "))", at: nameNode)
            return nil
        }
        return entry
    }

    private static func checkTiming(at: Duration, action: Action, fields: ScenarioReader.Fields, runDuration: Duration?, reader: ScenarioReader) -> Bool {
        guard let runDuration else { return true }
        guard at < runDuration else {
            reader.report("\(fields.path("at")) is \(at.scenarioText), but the run lasts \(runDuration.scenarioText); events must happen during the run", at: fields["at"] ?? fields.node)
            return false
        }
        // A sensor condition may outlast the run harmlessly; a stopped server
        // must come back while the run can still observe the recovery.
        if case .fault(let fault) = action, let lasting = fault.duration, at + lasting > runDuration {
            reader.report("\(fields.path("duration")): starting at \(at.scenarioText) and lasting \(lasting.scenarioText), it ends after the run (\(runDuration.scenarioText))", at: fields["duration"] ?? fields.node)
            return false
        }
        return true
    }

    /// A bare number, which a parameter in seconds takes as seconds; any
    /// other text is read as a duration such as `5m`.
    private static func isPlainNumber(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, let number = DecimalPrefix.read(scalar.string.trimmingBlanks) else { return false }
        return number.rest.isEmpty
    }

    /// `fire_co: fire_start, fire_stop; leak: …; faults: broker_restart, …`
    static func describe(_ vocabulary: EventVocabulary) -> String {
        let sensor = vocabulary.kinds.compactMap { kind -> String? in
            let names = vocabulary.entries(of: kind).map(\.name)
            return names.isEmpty ? nil : "\(kind): \(names.joined(separator: ", "))"
        }
        return "events are " + (sensor + ["faults: " + FaultKind.allCases.map(\.rawValue).joined(separator: ", ")]).joined(separator: "; ")
    }
}
