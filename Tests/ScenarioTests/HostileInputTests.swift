import Foundation
import Testing
@testable import Scenario

/// Inputs written to break the loader: each must end in clear diagnostics,
/// quickly, and never in a crash.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("deep nesting is refused before the recursive composer sees it")
    func deepNesting() {
        let flow = "name: t\nx: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Fixture.messages(flow).anyContains("more than 32 nested [ or {"))
        let dashes = "name: t\nx: \n" + String(repeating: "- ", count: 50_000) + "1"
        #expect(Fixture.messages(dashes).anyContains("nested", "columns deep"))
        let indented = (0..<400).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        #expect(Fixture.messages(indented).anyContains("columns deep"))
    }

    @Test("aliases cannot blow up: complex keys with anchors are refused, values hit the node budget")
    func aliasBombs() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...20 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        let keyBomb = lines.joined(separator: "\n") + "\n? *a20\n: 1\n"
        #expect(Fixture.messages(keyBomb).anyContains("the file uses anchors"))
        let flowKeyBomb = lines.joined(separator: "\n") + "\n[*a20]: 1\n"
        #expect(Fixture.messages(flowKeyBomb).anyContains("the file uses anchors"))

        let sensors = "&s { kind: leak }"
        let group = "&g { count: 1, sensors: [\(sensors), " + Array(repeating: "*s", count: 2000).joined(separator: ", ") + "] }"
        let valueBomb = "name: t\nload: { rate: 1/s, duration: 1m }\nestate:\n  houses: [\(group), " + Array(repeating: "*g", count: 2000).joined(separator: ", ") + "]\n"
        let diagnostics = Fixture.diagnostics(valueBomb)
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.count <= ScenarioReader.maximumDiagnostics + 1)
    }

    @Test("absurd sizes and values get named limits", arguments: [
        (Fixture.document(estate: "{ houses: 99999999999999999999999, sensors: [leak] }"), "from 1 to 1,000,000"),
        (Fixture.document(estate: "{ houses: 1000000, sensors: { leak: 10000 } }"), "at most 10,000,000"),
        (Fixture.document(load: "{ rate: 1e12/s, duration: 1m }"), "needs a time unit"),
        (Fixture.document(load: "{ rate: 999999999999999999999999/s, duration: 1m }"), "far beyond any rate"),
        (Fixture.document(load: "{ rate: 1/s, duration: 99999999999999999999d }"), "longer than any scenario"),
    ])
    func absurdValues(yaml: String, fragment: String) {
        let messages = Fixture.messages(yaml)
        #expect(messages.anyContains(fragment), "\(messages.map { String($0.prefix(200)) })")
    }

    @Test("very long values are refused with their limit")
    func longValues() {
        #expect(Fixture.messages(Fixture.document(name: String(repeating: "n", count: 100_000))).anyContains("1 to 64 letters"))
        let description = "description: \"" + String(repeating: "d", count: 20_000) + "\""
        #expect(Fixture.messages(Fixture.document(extra: description)).anyContains("at most 10,000"))
        let key = String(repeating: "k", count: 1000) + ": 1"
        let messages = Fixture.messages(Fixture.minimal(plus: key))
        #expect(messages.anyContains("unknown key 'kkkk"))
        #expect(messages.allSatisfy { $0.count < 500 })
        // libyaml limits plain keys to 1024 characters; past that it is a
        // syntax error, still short.
        let hugeKey = String(repeating: "k", count: 50_000) + ": 1"
        #expect(Fixture.messages(Fixture.minimal(plus: hugeKey)).allSatisfy { $0.count < 500 })
    }

    @Test("files over 1 MiB, binary files and missing files are refused whole")
    func files() throws {
        let big = String(repeating: "# padding\n", count: 110_000)
        #expect(Fixture.messages(big).anyContains("at most 1,048,576 bytes"))
        #expect(Fixture.messages("name: t\u{0}\u{1}\n").anyContains("not readable text"))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("binary.yaml")
        try Data([0xFF, 0xFE, 0x00, 0xC3, 0x28]).write(to: binary)
        let missing = folder.appendingPathComponent("missing.yaml").path
        for (path, fragment) in [(binary.path, "not UTF-8"), (missing, "no such file"), (folder.path, "is a folder")] {
            do {
                _ = try Scenario.load(contentsOfFile: path)
                Issue.record("\(path) should be refused")
            } catch {
                #expect(error.diagnostics.count == 1)
                #expect(error.description == "\(path): \(error.diagnostics[0].message)")
                #expect(error.diagnostics[0].message.contains(fragment))
            }
        }
    }

    @Test("every prefix of a real scenario fails cleanly or loads")
    func truncations() throws {
        let text = try String(contentsOf: Fixture.scenariosFolder.appendingPathComponent("fire-alarm-demo.yaml"), encoding: .utf8)
        let scalars = Array(text.unicodeScalars)
        for length in stride(from: 0, through: scalars.count, by: 7) {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[..<length])
            ScenarioInvariants.check(String(prefix), label: "prefix of \(length)")
        }
    }
}
