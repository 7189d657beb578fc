/// redis-server with the contract's memory limit and policy and, by default,
/// no persistence: a load test measures the cache, not the disk.
struct RedisLauncher: ServerLauncher {
    let executable: String
    let options: StackConfiguration.RedisOptions
    var service: StackService { .redis }

    func prepare(in run: RunDirectory) async throws {
        _ = try run.folder("redis")
    }

    func command(port: Int, in run: RunDirectory) -> (executable: String, arguments: [String]) {
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1",
            "--daemonize", "no", "--logfile", "",
            "--dir", run.file("redis"),
            "--maxmemory", options.maxMemory,
            "--maxmemory-policy", options.maxMemoryPolicy,
        ]
        if options.persistence {
            arguments += ["--appendonly", "yes", "--appendfsync", "everysec"]
        } else {
            arguments += ["--save", "", "--appendonly", "no"]
        }
        return (executable, arguments)
    }


    func url(port: Int, in run: RunDirectory) -> String { "redis://127.0.0.1:\(port)" }
}
