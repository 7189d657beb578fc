import ArgumentParser
import Logging
import MQTT
import Redis
import Stack

/// The server flags of every command that talks to the stack (`subscribe`,
/// `publish`, `run`, `serve`), so they read the same everywhere.
///
/// A URL that is given points at a server someone else runs; a URL that is
/// missing is served by an embedded server that ``resolve(stack:logger:)``
/// starts (only the missing ones), so `hearth subscribe` alone just works.
struct ServerOptions: ParsableArguments {
    @Option(help: "MQTT broker URL, mqtt://HOST:PORT (default: start an embedded mosquitto).")
    var mqtt: String?

    @Option(help: "Redis URL, redis://[:PASSWORD@]HOST:PORT[/DB] (default: start an embedded redis-server).")
    var redis: String?

    @Option(help: "PostgreSQL URL, postgres://USER@HOST:PORT/DB (default: start an embedded PostgreSQL).")
    var postgres: String?

    @Option(help: "Folder of owner-<N>.key files (default: $HEARTH_KEYS_DIR, else ./.hearth/keys).")
    var keys: String?

    /// --keys, else $HEARTH_KEYS_DIR, else ./.hearth/keys: the same rule as
    /// `hearth keys --dir`, so both commands find the same files.
    var keyDirectory: String {
        ((try? KeyDirectoryOptions.parse(keys.map { ["--dir", $0] } ?? [])) ?? KeyDirectoryOptions()).resolved
    }

    /// Checks each given URL's shape up front, so a typo is a usage error
    /// (exit 2) before anything starts.
    func validate() throws {
        do {
            if let mqtt { _ = try MQTTConfiguration(url: mqtt, clientID: "validate") }
            if let redis { _ = try RedisConfiguration(url: redis) }
        } catch {
            throw ValidationError("\(error)")
        }
        if let postgres, !(postgres.hasPrefix("postgres://") || postgres.hasPrefix("postgresql://")) {
            throw ValidationError("'\(postgres)' is not a PostgreSQL URL; write it as postgres://USER@HOST:PORT/DB")
        }
    }

    /// The services the command needs that no URL names.
    func missing(of needed: Set<StackService>) -> Set<StackService> {
        needed.filter { service in
            switch service {
            case .mqtt: mqtt == nil
            case .redis: redis == nil
            case .postgres: postgres == nil
            }
        }
    }

    /// The endpoints to use: given URLs as they are, the rest from an
    /// embedded stack started here with `stack` (its `services` are replaced
    /// by the missing ones). The caller owns the returned stack and stops it
    /// (or puts it first in its ServiceGroup).
    func resolve(
        needing needed: Set<StackService> = Set(StackService.allCases),
        stack configuration: StackConfiguration = .init(),
        logger: Logger
    ) async throws -> ResolvedServers {
        var endpoints = StackEndpoints(mqtt: mqtt, redis: redis, postgres: postgres)
        let toStart = missing(of: needed)
        guard !toStart.isEmpty else { return ResolvedServers(endpoints: endpoints, stack: nil) }
        var configuration = configuration
        configuration.services = toStart
        let stack = try await EmbeddedStack.start(configuration, logger: logger)
        for service in toStart { endpoints[service] = stack.endpoints[service] }
        logger.notice("embedded stack started", metadata: [
            "services": "\(toStart.map(\.rawValue).sorted().joined(separator: ","))",
            "run_directory": "\(stack.runDirectory)",
        ])
        return ResolvedServers(endpoints: endpoints, stack: stack)
    }
}

/// What ``ServerOptions/resolve(needing:stack:logger:)`` returns: every URL
/// the command needs, and the embedded stack if one had to be started.
struct ResolvedServers: Sendable {
    var endpoints: StackEndpoints
    /// Stop it when done, or run it first in the ServiceGroup.
    var stack: EmbeddedStack?
}
