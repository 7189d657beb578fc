import Foundation
import Logging
import Scenario
import Stack

/// The servers, keys and scratch folder of one run: the URLs the scenario
/// or the flags give, and an embedded stack for the rest (with the
/// scenario's Redis limits, TCP_NODELAY and TLS). ``tearDown()`` stops what
/// was started here and removes the private folder (keys included, unless
/// the caller gave its own key folder).
struct RunServers: Sendable {
    let endpoints: StackEndpoints
    let stack: EmbeddedStack?
    /// Mode 0700; holds the keys (unless given) and the subscriber's spool.
    let privateDirectory: String
    let keysDirectory: String
    let observedProcesses: [ObservedProcess]

    static func bringUp(for scenario: Scenario, options: RunOptions, logger: Logger) async throws -> RunServers {
        func given(_ flag: String?, _ endpoint: ServiceEndpoint) -> String? {
            if let flag { return flag }
            if case .external(let url) = endpoint { return url.text }
            return nil
        }
        var endpoints = StackEndpoints(
            mqtt: given(options.mqttURL, scenario.stack.mqtt.endpoint),
            redis: given(options.redisURL, scenario.stack.redis.endpoint),
            postgres: given(options.postgresURL, scenario.stack.postgres.endpoint)
        )
        let missing = Set(StackService.allCases.filter { endpoints[$0] == nil })
        try FaultInjector.check(scenario.events, embedded: missing, hostsSubscriber: options.subscriber == .inProcess)

        let privateDirectory = try makePrivateDirectory()
        var stack: EmbeddedStack?
        if !missing.isEmpty {
            let redis = scenario.stack.redis
            var configuration = StackConfiguration(
                redis: .init(maxMemory: redis.maxMemory.scenarioText, maxMemoryPolicy: redis.evictionPolicy.rawValue),
                mqtt: .init(tcpNoDelay: scenario.stack.tcpNoDelay, persistence: scenario.hasFault(.brokerRestart), tls: scenario.stack.tls)
            )
            configuration.services = missing
            do {
                let started = try await EmbeddedStack.start(configuration, logger: logger)
                for service in missing { endpoints[service] = started.endpoints[service] }
                stack = started
            } catch {
                try? FileManager.default.removeItem(atPath: privateDirectory)
                throw RunError(.runtime, "could not start the embedded \(missing.map(\.rawValue).sorted().joined(separator: ", ")): \(error)")
            }
        }
        var processes = [ObservedProcess(name: "harness", pid: getpid())]
        if let stack {
            for status in await stack.status() {
                guard let pid = status.pid else { continue }
                processes.append(ObservedProcess(name: status.service.rawValue, pid: pid, includeDescendants: status.service == .postgres))
            }
        }
        return RunServers(
            endpoints: endpoints, stack: stack, privateDirectory: privateDirectory,
            keysDirectory: options.keysDirectory ?? privateDirectory + "/keys",
            observedProcesses: processes
        )
    }

    func tearDown() async {
        await stack?.stop()
        try? FileManager.default.removeItem(atPath: privateDirectory)
    }

    private static func makePrivateDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-run-\(getpid())-\(UUID().uuidString.prefix(8))").path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RunError(.runtime, "could not create the run's private folder \(path): \(error.localizedDescription)")
        }
        return path
    }
}
