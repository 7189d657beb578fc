import Foundation
import Testing
import SensorKit
import SensorCatalog

/// The committed JSON Schema files are the payload contract other tools read.
/// These tests keep them equal to what the declarations generate, and check
/// real payloads against them with an independent validator (Python's
/// jsonschema), which also keeps the in-process subset validator honest.
/// They read files and start a process, so they live apart from unit tests.
@Suite("Payload schema files")
struct SchemaFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemaFolder = root.appendingPathComponent("Plugins/Sensors/Schemas")
    static let regenerate = "regenerate with: swift run hearth plugins schema --all --output Plugins/Sensors/Schemas"

    @Test("committed schema equals the generated one", arguments: SensorCatalog.builtIn.plugins)
    func committedSchemaIsCurrent(_ plugin: AnySensorPlugin) throws {
        let file = Self.schemaFolder.appendingPathComponent(plugin.descriptor.schemaFileName)
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(committed == plugin.descriptor.schemaDocument, "\(file.path) is stale; \(Self.regenerate)")
    }

    @Test func noSchemaFileForAnUnknownKind() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemaFolder.path).filter { $0.hasSuffix(".schema.json") }
        #expect(Set(files) == Set(SensorCatalog.builtIn.plugins.map(\.descriptor.schemaFileName)))
    }

    @Test func generatedPayloadsValidateAgainstCommittedSchemasWithJsonschema() throws {
        var valid: [(kind: String, payload: String)] = []
        var invalid: [(kind: String, payload: String)] = []
        for plugin in SensorCatalog.builtIn.plugins {
            let descriptor = plugin.descriptor
            for script in EventScript.all(for: descriptor).prefix(1 + descriptor.events.count * 2) {
                var drive = PluginDrive(plugin, seed: 5)
                drive.run(for: 30, every: 10)
                for event in script.events { try drive.apply(event.name, event.parameters) }
                let readings = drive.run(for: 4 * 3600, every: 97)
                valid += try readings.map { (descriptor.kind.rawValue, String(decoding: try descriptor.encode($0), as: UTF8.self)) }
            }
            // The same schemas must refuse what the writer refuses.
            let sample = try #require(valid.last { $0.kind == descriptor.kind.rawValue }).payload
            for broken in Self.spoil(sample, descriptor) { invalid.append((descriptor.kind.rawValue, broken)) }
        }
        #expect(valid.contains { $0.payload.contains(#""alarms":["#) && !$0.payload.contains(#""alarms":[]"#) }, "some payloads carry alarms")

        let verdicts = try Self.runJsonschema(valid + invalid)
        let failures = zip(valid, verdicts.prefix(valid.count)).filter { $1 != "valid" }
        #expect(failures.isEmpty, "jsonschema rejected: \(failures.prefix(3).map { "\($0.0.payload) — \($0.1)" })")
        let accepted = zip(invalid, verdicts.dropFirst(valid.count)).filter { $1 == "valid" }
        #expect(accepted.isEmpty, "jsonschema accepted broken payloads: \(accepted.map(\.0.payload))")

        // The in-process validator used by the conformance test agrees with jsonschema.
        for (entry, verdict) in zip(valid + invalid, verdicts) {
            let schema = JSONSchemaSubset(schema: SensorCatalog.builtIn.descriptor(for: SensorKind(entry.kind))!.jsonSchema)
            let subsetVerdict = schema.violation(of: try JSONParser.parse(Array(entry.payload.utf8))) == nil
            #expect(subsetVerdict == (verdict == "valid"), "validators disagree on \(entry.payload)")
        }
    }

    /// Payloads the writer would never produce: a missing field, an unknown
    /// field, a value out of range or not allowed, a wrong unit, a bad alarm.
    static func spoil(_ payload: String, _ descriptor: SensorDescriptor) -> [String] {
        guard case .object(let members)? = try? JSONParser.parse(Array(payload.utf8)) else { return [] }
        func variant(_ change: (inout [JSONMember]) -> Void) -> String {
            var copy = members
            change(&copy)
            return JSONValue.object(copy).serialized()
        }
        var variants = [
            variant { $0.removeAll { $0.key == descriptor.fields[0].name } },
            variant { $0.append(JSONMember("battery", .integer(90))) },
            variant { $0.removeAll { $0.key == Reading.Key.sentAt } },
            variant { list in list.indices.filter { list[$0].key == Reading.Key.alarms }.forEach { list[$0].value = ["no_such_alarm"] } },
            variant { list in list.indices.filter { list[$0].key == Reading.Key.kind }.forEach { list[$0].value = "other" } },
        ]
        for field in descriptor.fields {
            let bad: JSONValue = switch field.type {
            case .number(let number): .number(number.range.upperBound + 1)
            case .choice: "Sideways"
            }
            variants.append(variant { list in list.indices.filter { list[$0].key == field.name }.forEach { list[$0].value = bad } })
        }
        if let numeric = descriptor.fields.first(where: { $0.unit != nil }) {
            variants.append(variant { list in
                list.indices.filter { list[$0].key == Reading.Key.units }.forEach { list[$0].value = [numeric.name: "furlongs"] }
            })
        }
        for alarm in descriptor.alarms {
            guard case .states(let field, let raise, _) = alarm.trigger else { continue }
            variants.append(variant { list in
                for index in list.indices where list[index].key == field { list[index].value = .string(raise[0]) }
                for index in list.indices where list[index].key == Reading.Key.alarms { list[index].value = [] }
            })
        }
        return variants
    }

    /// Validates each payload against its kind's committed schema file with
    /// Python's jsonschema (Draft 2020-12); returns "valid" or the error per payload.
    static func runJsonschema(_ payloads: [(kind: String, payload: String)]) throws -> [String] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-schema-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: input) }
        let lines = payloads.map { JSONValue.object([JSONMember("kind", .string($0.kind)), JSONMember("payload", .string($0.payload))]).serialized() }
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let script = """
        import json, sys
        from jsonschema import Draft202012Validator
        folder, path = sys.argv[1], sys.argv[2]
        validators = {}
        for line in open(path, encoding="utf-8"):
            entry = json.loads(line)
            kind = entry["kind"]
            if kind not in validators:
                schema = json.load(open(f"{folder}/{kind}.schema.json", encoding="utf-8"))
                Draft202012Validator.check_schema(schema)
                validators[kind] = Draft202012Validator(schema)
            errors = list(validators[kind].iter_errors(json.loads(entry["payload"])))
            print("valid" if not errors else errors[0].message.replace("\\n", " "))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaFolder.path, input.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with jsonschema is needed (pip install jsonschema): \(errorText)")
        let verdicts = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(verdicts.count == payloads.count)
        return verdicts
    }
}
