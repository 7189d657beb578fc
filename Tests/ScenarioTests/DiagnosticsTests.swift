import Testing
@testable import Scenario

/// How mistakes are reported: located, complete, in file order, with the
/// allowed values named and a suggestion for typos.
@Suite("Diagnostics")
struct DiagnosticsTests {
    @Test func theMinimalFixtureIsValid() throws {
        let scenario = try Fixture.scenario(Fixture.minimal)
        #expect(scenario.estate.sensorCount == 20)
        #expect(scenario.duration == .seconds(60))
    }

    @Test("each mistake is FILE:LINE:COL: message on its own line")
    func format() {
        let error = ScenarioValidationError(diagnostics: [
            ScenarioDiagnostic(file: "a.yaml", location: SourceLocation(line: 3, column: 7), message: "first"),
            ScenarioDiagnostic(file: "a.yaml", location: SourceLocation(line: 9, column: 1), message: "second"),
        ])
        #expect(error.description == "a.yaml:3:7: first\na.yaml:9:1: second")
        #expect(ScenarioDiagnostic(file: "a.yaml", location: .unknown, message: "no such file").description == "a.yaml: no such file")
    }

    @Test("every mistake is reported, in file order, at the offending value")
    func allMistakesWithPlaces() {
        let diagnostics = Fixture.diagnostics("""
            name: t
            seed: -1
            estate:
              houses: 0
              sensors: { fire_co: 1 }
            load:
              rate: 100/s
              duration: 0s
            """)
        #expect(diagnostics.count == 3)
        #expect(diagnostics.map(\.location) == [
            SourceLocation(line: 2, column: 7), SourceLocation(line: 4, column: 11), SourceLocation(line: 8, column: 13),
        ])
        #expect(diagnostics.map(\.file) == ["t.yaml", "t.yaml", "t.yaml"])
        #expect(diagnostics[1].message.contains("from 1 to 1,000,000"))
        #expect(diagnostics[2].message.contains("from 100ms to 7d"))
    }

    @Test("unknown keys name the allowed keys and the likely one", arguments: [
        ("stack:\n  mqt: embedded", "unknown key 'mqt' in stack (did you mean 'mqtt'?)"),
        ("lod: {}", "unknown key 'lod' at the top level (did you mean 'load'?)"),
        ("outputs: { format: [json] }", "did you mean 'formats'?"),
        ("gates: { p99: \"< 5ms\" }", "allowed keys: p50_latency"),
        ("stack: { redis: { max_memory: 1gb } }", "did you mean 'maxmemory'?"),
    ])
    func unknownKeys(section: String, fragment: String) {
        let messages = Fixture.messages(Fixture.minimal(plus: section))
        #expect(messages.anyContains(fragment), "\(messages)")
    }

    @Test("missing required keys say what they are for")
    func missingKeys() {
        let messages = Fixture.messages("description: nothing else")
        #expect(messages.anyContains("needs 'name'"))
        #expect(messages.anyContains("needs 'estate'", "houses"))
        #expect(messages.anyContains("needs 'load'", "rate"))
    }

    @Test("wrong types say what was expected and what was found", arguments: [
        (Fixture.document(estate: "[1, 2]"), "estate must be a mapping"),
        (Fixture.document(name: "[a]"), "name must be a short name"),
        (Fixture.document(load: "{ rate: 100/s, duration: 1m, history: maybe }"), "load.history must be true or false; got 'maybe'"),
        (Fixture.document(load: "{ rate: { total: 5 }, duration: 1m }"), "load.rate must be a rate like 200/s"),
        (Fixture.document(extra: "seed: 1.5"), "seed must be a whole number"),
        (Fixture.document(load: "{ rate: 100/s, duration: }"), "load.duration needs a value"),
    ])
    func wrongTypes(yaml: String, fragment: String) {
        let messages = Fixture.messages(yaml)
        #expect(messages.anyContains(fragment), "\(messages)")
    }

    @Test("YAML syntax errors point at the place libyaml stopped")
    func syntax() {
        let truncated = Fixture.diagnostics("name: t\nestate: { houses: 3, sensors: [fire_co\n")
        #expect(truncated.count == 1)
        #expect(truncated[0].message.hasPrefix("invalid YAML"))
        #expect(truncated[0].location.line >= 2)

        let unquoted = Fixture.messages(Fixture.minimal(plus: "gates:\n  throughput: >= 50/s"))
        #expect(unquoted.anyContains("must be quoted"))

        let duplicate = Fixture.diagnostics("name: a\nname: b\n")
        #expect(duplicate.first?.message.contains("duplicate key 'name'") == true)
    }

    @Test("an empty or comment-only file says what a scenario needs")
    func empty() {
        #expect(Fixture.messages("").anyContains("no content"))
        #expect(Fixture.messages("# just a comment\n").anyContains("no content"))
        #expect(Fixture.messages("42").anyContains("must be a mapping"))
    }

    @Test("after a hundred mistakes it stops and says so")
    func tooMany() {
        let events = (1...300).map { "  - { at: 1s, event: nope\($0), houses: [1] }" }.joined(separator: "\n")
        let diagnostics = Fixture.diagnostics(Fixture.minimal(plus: "events:\n" + events))
        #expect(diagnostics.count == ScenarioReader.maximumDiagnostics + 1)
        #expect(diagnostics.last?.message.contains("too many mistakes") == true)
    }

    @Test("line breaks and control characters in quoted input never split a diagnostic")
    func oneLine() {
        let diagnostics = Fixture.diagnostics(Fixture.document(load: "{ rate: \"5\\r\\n/x\\t\\u0007\", duration: 1m }"))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.allSatisfy { !$0.description.contains(where: \.isNewline) && !$0.description.unicodeScalars.contains { $0.value < 0x20 } })
        #expect(ScenarioReader.oneLine("a\r\nb\tc") == "a  b c")
    }

    @Test func suggestions() {
        #expect(Suggestion.closest(to: "hosues", among: ["houses", "owners"]) == "houses")
        #expect(Suggestion.closest(to: "warm-up", among: ["warm_up", "ramp"]) == "warm_up")
        #expect(Suggestion.closest(to: "fire", among: ["fire_co", "leak"]) == "fire_co")
        #expect(Suggestion.closest(to: "zzzzzz", among: ["houses", "owners"]) == nil)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }
}
