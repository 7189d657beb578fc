import ArgumentParser
import Foundation
import Harness
import Logging
import Redis
import Scenario
import Stack

/// `hearth capacity --scenario FILE [--verify]`: how many sensors' latest
/// values fit under the scenario's Redis limit, measured with its real keys
/// and Fernet tokens on a real Redis (an embedded one with the scenario's
/// maxmemory and policy, unless --redis names an empty one to use).
struct CapacityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Predict how many sensors fit in Redis before eviction, how soon the scenario gets there, and where it settles.",
        discussion: """
        The prediction comes from measuring the scenario's own keys and tokens on Redis. --verify then fills Redis to \
        its limit and prints the predicted and observed onset of eviction side by side (exit 1 if they differ by more \
        than 5%). Exit codes: 0 done, 1 runtime error or failed verification, 2 bad input.
        """
    )

    @Option(help: "The scenario file (its estate, load, and stack.redis settings).") var scenario: String
    @Flag(help: "Fill Redis to its limit and compare the predicted onset of eviction with the observed one.") var verify = false
    @Option(help: "Use this Redis instead of an embedded one; it must be empty, and it is flushed (redis://HOST:PORT).") var redis: String?
    @Flag(help: "Print the plan as JSON.") var json = false

    func run() async throws {
        let logger = Logger.hearth(label: "hearth.capacity")
        let loaded = try ScenarioFile.load(scenario)
        let settings = loaded.stack.redis
        var stack: EmbeddedStack?
        let url: String
        if let redis {
            url = redis
        } else {
            let configuration = StackConfiguration(
                services: [.redis],
                redis: .init(maxMemory: String(settings.maxMemory.bytes), maxMemoryPolicy: settings.evictionPolicy.rawValue)
            )
            stack = try await withCLIErrors { try await EmbeddedStack.start(configuration, logger: logger) }
            url = stack!.endpoints.redis!
        }
        do {
            let plan = try await withCLIErrors {
                let connection = try await RedisConnection.connect(url: url)
                do {
                    let plan = try await CapacityPlanner(scenario: loaded).plan(on: connection, verify: verify)
                    await connection.close()
                    return plan
                } catch let error as CapacityError where error.isBadInput {
                    printError(error.description)
                    throw ExitCode.badInput
                }
            }
            await stack?.stop()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try encoder.encode(plan), as: UTF8.self))
            } else {
                print(plan.rendered)
            }
            if let verification = plan.verification, !verification.isWithinTolerance {
                printError("the prediction missed the observed onset of eviction by more than 5%")
                throw ExitCode.runtimeError
            }
        } catch {
            await stack?.stop()
            throw error
        }
    }
}
