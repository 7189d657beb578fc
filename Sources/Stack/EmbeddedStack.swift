import BlockingIO
import Foundation
import Logging

/// redis-server, mosquitto and PostgreSQL as child processes of this one, on
/// free loopback ports, in a private run directory.
///
/// `start` returns once every server answers; `stop` leaves no process and no
/// run directory behind. If any server fails to start, the ones already
/// started are stopped and the error carries the tail of the failing server's
/// own log, because that is where the reason is.
///
/// The actor runs on its own thread (`ThreadExecutor`): the readiness probes
/// and `waitpid` are blocking system calls that must stay off Swift's
/// cooperative pool.
public actor EmbeddedStack {
    public nonisolated let configuration: StackConfiguration
    public nonisolated let runDirectory: String
    /// Fixed for the stack's life: a restarted server comes back on the same port.
    public nonisolated let endpoints: StackEndpoints
    /// With `mqtt.tls`: the CA certificate that clients verify the broker with.
    public nonisolated var mqttCAFile: String? {
        configuration.mqtt.tls && configuration.services.contains(.mqtt) ? runDirectory + "/tls/ca.crt" : nil
    }

    private nonisolated let executor = ThreadExecutor(name: "stack")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let run: RunDirectory
    private let logger: Logger
    private var launchers: [StackService: any ServerLauncher]
    private var ports: [StackService: Int]
    private var children: [StackService: ChildProcess] = [:]
    private var stopped = false

    /// Starts the configured servers and waits until each one answers.
    ///
    /// A free port can be taken by another process between the moment we pick
    /// it and the moment the server binds it (many tests start stacks at
    /// once). When a server whose port we picked fails for that reason, the
    /// whole start is retried on new ports, up to three times.
    public static func start(_ configuration: StackConfiguration = .init(), logger: Logger = Logger(label: "hearth.stack")) async throws -> EmbeddedStack {
        let binaries = try ServerBinaries.locate(for: configuration.services)
        var attempt = 1
        while true {
            let stack = try makeStack(configuration, binaries: binaries, logger: logger)
            do {
                try await stack.launchAll()
                return stack
            } catch let error as StackError where attempt < 3 && error.isLostPortRace(fixedPorts: configuration.ports) {
                await stack.stop()
                logger.info("a picked port was taken before the server bound it; retrying on new ports", metadata: ["service": "\(error.service?.rawValue ?? "")"])
                attempt += 1
            } catch {
                await stack.stop()
                throw error
            }
        }
    }

    /// Starts a stack, runs `body` with it, and stops it however `body`
    /// ends: a thrown error or a failed expectation leaves no server behind.
    public static func withRunning<T>(
        _ configuration: StackConfiguration = .init(), logger: Logger = Logger(label: "hearth.stack"),
        _ body: (EmbeddedStack) async throws -> T
    ) async throws -> T {
        let stack = try await start(configuration, logger: logger)
        do {
            let result = try await body(stack)
            await stack.stop()
            return result
        } catch {
            await stack.stop()
            throw error
        }
    }

    private static func makeStack(_ configuration: StackConfiguration, binaries: ServerBinaries, logger: Logger) throws -> EmbeddedStack {
        let run = try RunDirectory.create(parent: configuration.runDirectoryParent)
        var launchers: [StackService: any ServerLauncher] = [:]
        for service in configuration.services {
            switch service {
            case .redis: launchers[service] = RedisLauncher(executable: binaries.redisServer, options: configuration.redis)
            case .mqtt: launchers[service] = MosquittoLauncher(executable: binaries.mosquitto, options: configuration.mqtt)
            case .postgres: launchers[service] = PostgresLauncher(binaries: binaries, options: configuration.postgres)
            }
        }
        return EmbeddedStack(configuration: configuration, run: run, launchers: launchers, logger: logger)
    }

    private init(configuration: StackConfiguration, run: RunDirectory, launchers: [StackService: any ServerLauncher], logger: Logger) {
        self.configuration = configuration
        self.run = run
        self.runDirectory = run.path
        self.launchers = launchers
        self.logger = logger
        var ports: [StackService: Int] = [:]
        var endpoints = StackEndpoints()
        for (service, launcher) in launchers {
            let port = configuration.ports[service] ?? (try? Loopback.freePort()) ?? 0
            ports[service] = port
            endpoints[service] = launcher.url(port: port, in: run)
        }
        self.ports = ports
        self.endpoints = endpoints
    }

    /// Prepares and launches every server at once, then waits for them all.
    private func launchAll() async throws {
        for launcher in launchers.values.sorted(by: { $0.service.rawValue < $1.service.rawValue }) {
            try await launcher.prepare(in: run)
        }
        for service in launchers.keys { try launch(service) }
        try await waitUntilAnswering(Set(launchers.keys))
        try writeState()
        logger.info("stack up", metadata: ["run_directory": "\(run.path)"])
    }

    private func launch(_ service: StackService) throws {
        guard let launcher = launchers[service], let port = ports[service] else {
            throw StackError(.notRunning, service: service, "\(service) is not part of this stack")
        }
        var (executable, arguments) = launcher.command(port: port, in: run)
        // If hearth itself dies without stopping the stack, the kernel signals the
        // server (this actor's thread spawned it and lives as long as the stack).
        // One setpriv both switches user and sets the signal, in that order.
        if let setpriv = ServerBinaries.find("setpriv") {
            var wrapper: [String] = []
            if let user = launcher.serverUser { wrapper += ["--reuid=\(user)", "--regid=\(user)", "--init-groups"] }
            arguments = wrapper + ["--pdeathsig", signalName(launcher.stopSignal), executable] + arguments
            executable = setpriv
        }
        children[service] = try ChildProcess(executable: executable, arguments: arguments, logFile: run.file(launcher.logName))
    }

    private func waitUntilAnswering(_ services: Set<StackService>) async throws {
        var pending = services
        let deadline = monotonicSeconds() + configuration.startTimeoutSeconds
        while !pending.isEmpty {
            for service in pending {
                guard let launcher = launchers[service], let port = ports[service], let child = children[service] else { continue }
                // Ours only if our child holds the port: see `PortOwnership`.
                if service.answers(port: port, runDirectory: run.path), PortOwnership.isHeld(by: child.pid, port: port) {
                    pending.remove(service)
                } else if !child.isRunning {
                    throw StackError(.serverFailedToStart, service: service,
                                     "\(service.programName) exited during start-up (\(child.exitDescription)) on port \(port); its log \(run.file(launcher.logName)) ends:\n\(run.tail(launcher.logName))")
                } else if monotonicSeconds() > deadline {
                    throw StackError(.serverFailedToStart, service: service,
                                     "\(service.programName) did not answer on port \(port) within \(Int(configuration.startTimeoutSeconds)) s; its log ends:\n\(run.tail(launcher.logName))")
                }
            }
            if !pending.isEmpty { try? await Task.sleep(nanoseconds: 5_000_000) }
        }
    }

    /// Each server's process state and whether it answers.
    public func status() -> [ServiceStatus] {
        StackService.allCases.map { service in
            guard launchers[service] != nil, let port = ports[service] else {
                return ServiceStatus(service: service, state: .notStarted)
            }
            guard let child = children[service], child.isRunning else {
                return ServiceStatus(service: service, state: .exited, url: endpoints[service], pid: children[service]?.pid,
                                     detail: children[service]?.exitDescription ?? "stopped")
            }
            let state: ServiceStatus.State = service.answers(port: port, runDirectory: run.path) ? .running : .notResponding
            return ServiceStatus(service: service, state: state, url: endpoints[service], pid: child.pid)
        }
    }

    /// Stops one server cleanly (fault injection, tests).
    public func stop(_ service: StackService) async {
        guard let child = children[service], let launcher = launchers[service] else { return }
        await child.stop(signal: launcher.stopSignal)
    }

    /// Sends a raw signal to one server, e.g. SIGKILL to simulate a crash.
    public func signal(_ service: StackService, _ signal: Int32) {
        children[service]?.send(signal)
    }

    /// Stops (if still running) and starts one server again on the same port.
    public func restart(_ service: StackService) async throws {
        await stop(service)
        try launch(service)
        try await waitUntilAnswering([service])
        try writeState()
    }

    /// Stops every server and removes the run directory. Safe to call twice.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        // Reverse dependency order is irrelevant between these three; stop them together.
        await withTaskGroup(of: Void.self) { group in
            for (service, child) in children {
                let signal = launchers[service]?.stopSignal ?? SIGTERM
                group.addTask { await child.stop(signal: signal) }
            }
        }
        children.removeAll()
        run.remove()
        logger.info("stack stopped")
        executor.shutdown()
    }

    /// `stack.json` in the run directory lets `hearth stack status` in another
    /// process find this stack.
    private func writeState() throws {
        let state = StackStateFile(
            pid: getpid(), runDirectory: run.path, endpoints: endpoints,
            servers: children.mapValues { Int32($0.pid) }
        )
        try state.write(to: run.file(StackStateFile.name))
    }

    private func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "INT"
        case SIGKILL: "KILL"
        default: "TERM"
        }
    }
}
