import ArgumentParser

struct BenchClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clients", abstract: "(being written)")
}
