import ArgumentParser

/// The `hearth` command. Each subcommand lives in its own file,
/// `<Name>Command.swift`; exit codes are documented in ExitCodes.swift.
@main
struct Hearth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth",
        abstract: "Host a smart-home sensor stack and put it under realistic load.",
        subcommands: [
            StackCommand.self,
            KeysCommand.self,
            PluginsCommand.self,
            ScenarioCommand.self,
            BenchCommand.self,
        ]
    )
}
