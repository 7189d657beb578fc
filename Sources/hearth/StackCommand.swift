import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Stack

/// `hearth stack up|status`: the embedded stack on its own, for people who
/// want the servers running while they point other tools at them.
struct StackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "Run the embedded MQTT, Redis and PostgreSQL servers.",
        subcommands: [Up.self, Status.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the servers, print their URLs, and run until Ctrl-C."
        )

        @OptionGroup var stackOptions: EmbeddedStackOptions

        func run() async throws {
            let logger = Logger.hearth(label: "hearth.stack")
            let stack = try await withCLIErrors { try await EmbeddedStack.start(stackOptions.configuration(), logger: logger) }
            let endpoints = stack.endpoints
            for service in StackService.allCases {
                if let url = endpoints[service] { print("\(service.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(url)") }
            }
            if let caFile = stack.mqttCAFile { print("mqtt CA   \(caFile)") }
            print("run directory \(stack.runDirectory)")
            print("Press Ctrl-C to stop.")
            fflush(nil)
            let group = ServiceGroup(configuration: .init(
                services: [stack], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger
            ))
            try await group.run()
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report each server of every running hearth stack (exit 1 if one is down)."
        )

        @Option(help: "Look for stacks in this folder instead of $TMPDIR or /tmp.")
        var runDirectoryParent: String?

        func run() async throws {
            let stacks = StackStateFile.findAll(parent: runDirectoryParent)
            guard !stacks.isEmpty else {
                print("no running hearth stack found; start one with `hearth stack up`")
                throw ExitCode.runtimeError
            }
            var healthy = true
            for stack in stacks {
                print("stack \(stack.runDirectory) (hearth pid \(stack.pid))")
                for status in stack.probe() where status.state != .notStarted {
                    print("  \(status)")
                    healthy = healthy && status.state == .running
                }
            }
            if !healthy { throw ExitCode.runtimeError }
        }
    }
}
