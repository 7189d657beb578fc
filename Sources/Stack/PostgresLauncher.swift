import Foundation

/// PostgreSQL from Debian's binaries, in a data folder inside the run directory.
///
/// PostgreSQL refuses to run as root, so as root both initdb and postgres run
/// as the `postgres` user through `setpriv`, which execs (unlike `runuser`,
/// which forks, so its pid would not be the server's). The data folder and the
/// socket folder belong to that user.
///
/// initdb costs most of a cold start (about 0.8 s here). It runs once per
/// machine into a template folder under the user's cache, and each stack
/// copies that (about 0.15 s).
struct PostgresLauncher: ServerLauncher {
    let binaries: ServerBinaries
    let options: StackConfiguration.PostgresOptions
    var service: StackService { .postgres }
    /// Fast shutdown: SIGTERM would wait for every client to disconnect.
    var stopSignal: Int32 { SIGINT }

    private var runAs: (uid: uid_t, gid: gid_t)? {
        SystemUser.serverAccount(.postgres).map { (uid: $0.uid, gid: $0.gid) }
    }

    func prepare(in run: RunDirectory) async throws {
        let folder = try run.folder("postgres", owner: runAs, mode: 0o700)
        let template = try await templateDataFolder(run: run)
        let copy = try ChildProcess(executable: "/bin/cp", arguments: ["-a", template, folder + "/data"], logFile: run.file(logName))
        await copy.waitForExit()
        guard copy.exitedSuccessfully else {
            throw StackError(.serverFailedToStart, service: .postgres, "could not copy the PostgreSQL template data folder: \(run.tail(logName))")
        }
    }

    func command(port: Int, in run: RunDirectory) -> (executable: String, arguments: [String]) {
        var arguments = [
            "-D", run.file("postgres/data"),
            "-p", String(port), "-h", "127.0.0.1",
            "-k", run.file("postgres"),
            "-c", "max_connections=\(options.maxConnections)",
            "-c", "logging_collector=off",
        ]
        if !options.durable {
            arguments += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        }
        return (binaries.postgres, arguments)
    }

    var serverUser: String? { runAs == nil ? nil : "postgres" }

    func url(port: Int, in run: RunDirectory) -> String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    private func asServerUser(_ executable: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        guard runAs != nil else { return (executable, arguments) }
        return (binaries.setpriv, ["--reuid=postgres", "--regid=postgres", "--init-groups", executable] + arguments)
    }

    /// A freshly initdb'd data folder, made once and reused. Concurrent stacks
    /// may race to make it; each builds its own and only one rename wins.
    private func templateDataFolder(run: RunDirectory) async throws -> String {
        let major = URL(fileURLWithPath: binaries.initdb).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/tmp"
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? home + "/.cache"
        let template = "\(cache)/hearth/postgres-\(major)-\(runAs == nil ? "user" : "postgres")-template"
        if FileManager.default.fileExists(atPath: template + "/PG_VERSION") { return template }

        try? FileManager.default.createDirectory(atPath: cache + "/hearth", withIntermediateDirectories: true)
        // initdb as the postgres user needs a parent it can write to.
        let scratch = try run.folder("initdb", owner: runAs, mode: 0o700)
        let (executable, arguments) = asServerUser(
            binaries.initdb,
            ["-D", scratch + "/data", "-A", "trust", "-U", "postgres", "-N", "-E", "UTF8", "--locale=C"]
        )
        let initdb = try ChildProcess(executable: executable, arguments: arguments, logFile: run.file("initdb.log"))
        await initdb.waitForExit()
        guard initdb.exitedSuccessfully else {
            throw StackError(.serverFailedToStart, service: .postgres, "initdb failed (\(initdb.exitDescription)):\n\(run.tail("initdb.log"))")
        }
        let staged = "\(template).\(getpid()).\(UInt32.random(in: 0 ... .max))"
        let move = try ChildProcess(executable: "/bin/mv", arguments: [scratch + "/data", staged], logFile: run.file("initdb.log"))
        await move.waitForExit()
        if rename(staged, template) != 0 {
            try? FileManager.default.removeItem(atPath: staged)
        }
        guard FileManager.default.fileExists(atPath: template + "/PG_VERSION") else {
            throw StackError(.runDirectory, service: .postgres, "could not create the PostgreSQL template in \(template)")
        }
        return template
    }
}
