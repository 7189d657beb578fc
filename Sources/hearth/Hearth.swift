import ArgumentParser
import Foundation

/// The `hearth` command. Each subcommand lives in its own file,
/// `<Name>Command.swift`; exit codes are documented in ExitCodes.swift.
@main
struct Hearth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth",
        abstract: "Host a smart-home sensor stack and put it under realistic load.",
        subcommands: [
            CheckCommand.self,
            StackCommand.self,
            KeysCommand.self,
            PluginsCommand.self,
            ScenarioCommand.self,
            BenchCommand.self,
            PublishCommand.self,
            SubscribeCommand.self,
            ReportCommand.self,
            CapacityCommand.self,
            ServeCommand.self,
            RunCommand.self,
        ]
    )

    /// ArgumentParser exits 64 on a usage error; hearth's contract says 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                printError(message(for: error) + " (see `hearth help`)")
                exit(withError: ExitCode.badInput)
            }
            exit(withError: error)
        }
    }
}
