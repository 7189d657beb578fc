import Foundation
import Testing
@testable import Scenario

/// A seeded mutation fuzzer that runs in the test suite: it mutates the
/// ready-made scenarios (and the corpus libFuzzer kept, in
/// scripts/fuzz/scenario/corpus) with fixed seeds, so every run tries the
/// same inputs and a failure reproduces. The long, coverage-guided run is
/// scripts/fuzz/scenario/run.sh.
@Suite("Mutation fuzzing")
struct MutationFuzzTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 1234, 0xDEAD_BEEF, 20_250_101, 7_777_777]
    static let mutationsPerSeed = 150

    static var baseInputs: [String] {
        let folder = Fixture.scenariosFolder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap {
            try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        } + [Fixture.minimal]
    }

    @Test("mutated scenarios end in diagnostics or a scenario that renders and reloads", arguments: MutationFuzzTests.seeds)
    func mutations(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let bases = Self.baseInputs
        for round in 0..<Self.mutationsPerSeed {
            var text = bases[Int(generator.next() % UInt64(bases.count))]
            for _ in 0...Int(generator.next() % 4) {
                text = Mutator.mutate(text, using: &generator)
            }
            ScenarioInvariants.check(text, label: "seed \(seed) round \(round)")
        }
    }

    @Test("inputs kept from libFuzzer runs load or fail cleanly")
    func corpus() throws {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: Self.corpusFolder.path)) ?? []).filter { !$0.hasPrefix(".") }
        #expect(!files.isEmpty, "scripts/fuzz/scenario/corpus should hold the inputs kept from fuzzing")
        for name in files.sorted() {
            let data = try Data(contentsOf: Self.corpusFolder.appendingPathComponent(name))
            ScenarioInvariants.check(String(decoding: data, as: UTF8.self), label: name)
        }
    }

    static let corpusFolder = Fixture.scenariosFolder.deletingLastPathComponent().appendingPathComponent("scripts/fuzz/scenario/corpus")
}

/// What must hold for any input at all.
enum ScenarioInvariants {
    static func check(_ text: String, label: String) {
        do {
            let scenario = try Scenario.parse(yaml: text, file: "fuzz.yaml")
            let rendered = scenario.resolvedYAML
            do {
                let again = try Scenario.parse(yaml: rendered, file: "rendered.yaml")
                #expect(again.resolvedYAML == rendered, "\(label): rendering is not stable")
            } catch {
                Issue.record("\(label): the rendered scenario does not load: \(error)\n\(rendered)")
            }
            let schedule = scenario.rateSchedule
            #expect(schedule.totalCount.isFinite && schedule.totalCount >= 1, "\(label)")
            #expect(schedule.intendedTime(ofSend: 0) != nil, "\(label)")
        } catch {
            #expect(!error.diagnostics.isEmpty, "\(label)")
            #expect(error.diagnostics.count <= ScenarioReader.maximumDiagnostics + 1, "\(label)")
            for diagnostic in error.diagnostics {
                #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "\(label): \(diagnostic)")
                #expect(!diagnostic.message.isEmpty && !diagnostic.message.contains("\n"), "\(label): \(diagnostic)")
            }
        }
    }
}

/// Small edits that tend to find parser and validator bugs: cut, repeat,
/// swap and splice lines, and drop in tokens that YAML or the scenario
/// grammar treat specially.
enum Mutator {
    static let tokens = [
        ":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "? ", "!!str ", "|", ">", "\"", "'", "#", "\t", "\n", "~",
        "null", "true", "1e12", "-1", "0", "0s", "every 0s", "-5/s", "99999999999999999999", "1.5", "nan", "inf",
        "houses", "sensors", "stages", "ramp", "spike", "gates", "events", "fire_start", "all", "10-2", "256", "1tb",
        "per sensor", "< 0", "== 0", ">= 1/s", "\u{FEFF}", "é", "\u{0}",
    ]

    static func mutate(_ text: String, using generator: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return tokens[Int(generator.next() % UInt64(tokens.count))] }
        let line = Int(generator.next() % UInt64(lines.count))
        switch generator.next() % 7 {
        case 0:
            lines.remove(at: line)
        case 1:
            lines.insert(lines[line], at: line)
        case 2:
            lines.swapAt(line, Int(generator.next() % UInt64(lines.count)))
        case 3:
            let scalars = Array(text.unicodeScalars)
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: scalars[..<Int(generator.next() % UInt64(scalars.count + 1))])
            return String(cut)
        case 4:
            var scalars = Array(lines[line].unicodeScalars)
            let token = tokens[Int(generator.next() % UInt64(tokens.count))]
            scalars.insert(contentsOf: token.unicodeScalars, at: Int(generator.next() % UInt64(scalars.count + 1)))
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            lines[line] = String(view)
        case 5:
            let digits = lines[line].filter(\.isNumber)
            if !digits.isEmpty {
                let replacement = ["0", "-1", "1e12", "99999999999999999999", "0.0001", "1000001"][Int(generator.next() % 6)]
                lines[line] = lines[line].replacingOccurrences(of: String(digits.prefix(1)), with: replacement)
            }
        default:
            lines[line] = String(repeating: " ", count: Int(generator.next() % 6)) + lines[line].trimmingCharacters(in: .whitespaces)
        }
        return lines.joined(separator: "\n")
    }
}

/// A tiny, fast, seedable generator (Steele, Lea and Flood's SplitMix64),
/// so the mutations are the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
