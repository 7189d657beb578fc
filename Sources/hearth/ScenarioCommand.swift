import ArgumentParser
import Foundation
import Harness
import Scenario
import Publisher
import SensorCatalog
import SensorKit

/// `hearth scenario validate|show`: check scenario files before a run, and
/// see what a scenario will do once every default is filled in.
///
/// Mistakes print as `FILE:LINE:COL: message`, one per line on stderr, so
/// editors and CI logs link them; any invalid file makes the exit code 2.
struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Check scenario files and show what they will run.",
        subcommands: [Validate.self, Show.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check scenario files; print every mistake as FILE:LINE:COL: message (exit 2 if any).",
            discussion: "A valid file prints one summary line on stdout: houses, sensors, duration, messages, gates."
        )

        @Argument(help: "The scenario files to check.")
        var files: [String] = []

        @Flag(name: .shortAndLong, help: "Print nothing for valid files.")
        var quiet = false

        @OptionGroup var plugins: PluginsCommand.LibraryOptions

        func run() async throws {
            let catalog = try plugins.catalog()
            let vocabulary = EventVocabulary(catalog: catalog)
            guard !files.isEmpty else {
                printError("give at least one scenario file, for example: hearth scenario validate Scenarios/smoke.yaml")
                throw ExitCode.badInput
            }
            var invalid = 0
            for file in files {
                do {
                    let scenario = try Scenario.load(contentsOfFile: file, vocabulary: vocabulary)
                    if !quiet { print("\(file): ok: \(scenario.summary(in: catalog))") }
                } catch {
                    printDiagnostics(error)
                    invalid += 1
                }
            }
            if invalid > 0 {
                if files.count > 1 { printError("\(invalid) of \(files.count) scenario files are invalid") }
                throw ExitCode.badInput
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a scenario as YAML with every default filled in (exit 2 if it is invalid)."
        )

        @Argument(help: "The scenario file.")
        var file: String

        @OptionGroup var plugins: PluginsCommand.LibraryOptions

        func run() async throws {
            let catalog = try plugins.catalog()
            let vocabulary = EventVocabulary(catalog: catalog)
            do {
                let scenario = try Scenario.load(contentsOfFile: file, vocabulary: vocabulary)
                print("# \(scenario.summary(in: catalog))")
                print(scenario.resolvedYAML, terminator: "")
            } catch {
                printDiagnostics(error)
                throw ExitCode.badInput
            }
        }
    }
}

/// One diagnostic a line on stderr, with nothing before the file name so
/// that editors recognise `FILE:LINE:COL:`.
private func printDiagnostics(_ error: ScenarioValidationError) {
    let text = error.diagnostics.map { "\($0)\n" }.joined()
    FileHandle.standardError.write(Data(text.utf8))
}
