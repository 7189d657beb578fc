#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// mosquitto on loopback with a config written for load tests: a per-client
/// queue far above the default 1000 (which silently drops QoS 1 messages that
/// were already acknowledged; seen here as 8–14% loss at full rate), unlimited
/// in-flight messages, and TCP_NODELAY.
struct MosquittoLauncher: ServerLauncher {
    let executable: String
    let options: StackConfiguration.MosquittoOptions
    var service: StackService { .mqtt }

    /// As root, mosquitto would drop to this user by itself; starting it as
    /// this user keeps the parent-death signal, and the user must be able to
    /// write its persistence file.
    var serverUser: String? { SystemUser.serverAccount(.mosquitto)?.name }

    func prepare(in run: RunDirectory) async throws {
        let owner = SystemUser.serverAccount(.mosquitto).map { (uid: $0.uid, gid: $0.gid) }
        _ = try run.folder("mosquitto", owner: owner)
        if options.tls {
            _ = try await TestCertificateAuthority.create(in: run, readableBy: owner)
        }
    }

    func command(port: Int, in run: RunDirectory) -> (executable: String, arguments: [String]) {
        // The port is part of the config, so each launch writes its own file.
        let config = run.file("mosquitto/mosquitto-\(port).conf")
        let lines = [
            "listener \(port) 127.0.0.1",
            "allow_anonymous true",
            "max_queued_messages \(options.maxQueuedMessages)",
            "max_inflight_messages \(options.maxInflightMessages)",
            "set_tcp_nodelay \(options.tcpNoDelay)",
            "persistence \(options.persistence)",
            "persistence_location \(run.file("mosquitto"))/",
            "autosave_interval 1",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",
        ] + (options.tls ? [
            "cafile \(run.file("tls/ca.crt"))",
            "certfile \(run.file("tls/server.crt"))",
            "keyfile \(run.file("tls/server.key"))",
            "require_certificate false",
        ] : []) + (options.maxKeepAliveSeconds.map { ["max_keepalive \($0)"] } ?? [])
        try? run.write(lines.joined(separator: "\n") + "\n", to: "mosquitto/mosquitto-\(port).conf")
        return (executable, ["-c", config])
    }


    /// With TLS the URL names the stack's CA (`?cafile=`), so every client
    /// given it verifies the broker without another flag.
    func url(port: Int, in run: RunDirectory) -> String {
        options.tls ? "mqtts://127.0.0.1:\(port)?cafile=\(run.file("tls/ca.crt"))" : "mqtt://127.0.0.1:\(port)"
    }
}
