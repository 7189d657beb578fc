import ArgumentParser

struct BenchFernetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fernet", abstract: "(being written)")
}
