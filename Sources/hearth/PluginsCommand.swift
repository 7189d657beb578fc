import ArgumentParser
import Foundation
import SensorCatalog
import SensorKit

/// `hearth plugins list|schema`: what sensor kinds exist and what their payloads
/// look like, for people writing scenarios and for tools consuming payloads.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the sensor plugins and print their payload JSON Schemas.",
        subcommands: [List.self, Schema.self],
        defaultSubcommand: List.self
    )

    /// `--plugin PATH`, shared by the subcommands: libraries to load besides the built-in kinds.
    struct LibraryOptions: ParsableArguments {
        @Option(name: .customLong("plugin"), help: "A plugin shared library to load too; repeat for several.")
        var libraries: [String] = []

        func catalog() throws -> SensorCatalog {
            do {
                return try SensorCatalog.loading(libraries: libraries)
            } catch {
                printError(error.message)
                throw ExitCode.badInput
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every plugin with its fields, units, ranges, alarms and events."
        )

        @OptionGroup var options: LibraryOptions

        func run() async throws {
            let catalog = try options.catalog()
            let listings = catalog.plugins.map { plugin in
                let origin = plugin.origin == "built-in" ? "built in" : "loaded from \(plugin.origin)"
                return "\(plugin.descriptor.listing)\n  \(plugin.stateSize) bytes of state per sensor; \(origin)"
            }
            print(listings.joined(separator: "\n\n"))
        }
    }

    struct Schema: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a kind's payload JSON Schema, or write every kind's schema file.",
            discussion: """
                The committed files in Plugins/Sensors/Schemas are made with
                hearth plugins schema --all --output Plugins/Sensors/Schemas
                and a test fails when they fall behind the plugins' declarations.
                """
        )

        @Argument(help: "The sensor kind, for example fire_co.")
        var kind: String?

        @Flag(help: "Every kind, one <kind>.schema.json file each (needs --output).")
        var all = false

        @Option(help: "Folder to write <kind>.schema.json files into, instead of printing.")
        var output: String?

        @OptionGroup var options: LibraryOptions

        func validate() throws {
            guard all != (kind != nil) else { throw ValidationError("give either a KIND or --all") }
            guard !all || output != nil else { throw ValidationError("--all writes files and needs --output DIR") }
        }

        func run() async throws {
            let catalog = try options.catalog()
            let descriptors: [SensorDescriptor]
            if let kind {
                guard let descriptor = catalog.descriptor(for: SensorKind(kind)) else {
                    printError("no sensor kind '\(kind)'; known kinds: \(catalog.kinds.map(\.rawValue).joined(separator: ", "))")
                    throw ExitCode.badInput
                }
                descriptors = [descriptor]
            } else {
                descriptors = catalog.plugins.map(\.descriptor)
            }
            guard let output else {
                return print(descriptors[0].schemaDocument, terminator: "")
            }
            let folder = URL(fileURLWithPath: output)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for descriptor in descriptors {
                    let file = folder.appendingPathComponent(descriptor.schemaFileName)
                    try Data(descriptor.schemaDocument.utf8).write(to: file, options: .atomic)
                    print("wrote \(file.path)")
                }
            } catch {
                printError("cannot write schema files to \(output): \(error.localizedDescription)")
                throw ExitCode.runtimeError
            }
        }
    }
}
