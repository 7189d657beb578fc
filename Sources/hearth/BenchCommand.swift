import ArgumentParser

/// `hearth bench <what>`: each benchmark runs a reference in the same run and
/// reports the ratio, because these machines are shared and noisy.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure hearth against a reference in the same run and report the ratio.",
        subcommands: [BenchClientsCommand.self, BenchFernetCommand.self, BenchPayloadCommand.self, BenchPipelineCommand.self]
    )
}
