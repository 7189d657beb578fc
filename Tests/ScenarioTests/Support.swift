import Foundation
@testable import Scenario

/// Helpers shared by the scenario tests: a minimal valid scenario to vary,
/// and shortcuts that return the scenario or its diagnostics.
enum Fixture {
    /// The smallest scenario that validates; tests append or replace parts.
    static let minimal = """
        name: t
        estate:
          houses: 10
          sensors: { fire_co: 1, leak: 1 }
        load:
          rate: 100/s
          duration: 1m
        """

    /// The repository's Scenarios/ folder, found from this file's place.
    static let scenariosFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios")

    static func scenario(_ yaml: String, vocabulary: EventVocabulary = .builtIn) throws -> Scenario {
        try Scenario.parse(yaml: yaml, file: "t.yaml", vocabulary: vocabulary)
    }

    /// The diagnostics of text that must be invalid; empty if it was valid.
    static func diagnostics(_ yaml: String, vocabulary: EventVocabulary = .builtIn) -> [ScenarioDiagnostic] {
        do {
            _ = try Scenario.parse(yaml: yaml, file: "t.yaml", vocabulary: vocabulary)
            return []
        } catch {
            return error.diagnostics
        }
    }

    /// The messages alone, for `contains` checks.
    static func messages(_ yaml: String, vocabulary: EventVocabulary = .builtIn) -> [String] {
        diagnostics(yaml, vocabulary: vocabulary).map(\.message)
    }

    /// A scenario from its parts, each written as a one-line YAML value.
    static func document(
        name: String = "t",
        estate: String = "{ houses: 10, sensors: { fire_co: 1, leak: 1 } }",
        load: String = "{ rate: 100/s, duration: 1m }",
        extra: String = ""
    ) -> String {
        "name: \(name)\nestate: \(estate)\nload: \(load)\n\(extra)\n"
    }

    /// `minimal` with `section` (YAML text at top level) appended.
    static func minimal(plus section: String) -> String {
        minimal + "\n" + section
    }
}

extension Array where Element == String {
    /// Whether some message contains every one of `fragments`.
    func anyContains(_ fragments: String...) -> Bool {
        contains { message in fragments.allSatisfy { message.contains($0) } }
    }
}
