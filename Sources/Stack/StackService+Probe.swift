import Foundation

extension StackService {
    /// True once the server on `port` serves clients. Works from any process:
    /// `hearth stack status` probes a stack that another hearth started.
    func answers(port: Int, runDirectory: String) -> Bool {
        switch self {
        case .redis:
            return Loopback.redisAnswers(port: port)
        case .mqtt:
            // Over TLS the raw CONNECT probe cannot speak; mosquitto opens its
            // listener only once it has loaded the certificates, so a TCP
            // connect is the readiness signal there.
            if FileManager.default.fileExists(atPath: runDirectory + "/tls/server.crt") {
                return Loopback.exchange(port: port) != nil
            }
            return Loopback.mqttAnswers(port: port)
        case .postgres:
            // postmaster.pid's eighth line says "ready" once it accepts
            // connections (pg_ctl waits on the same line); the port must also accept.
            let pidFile = runDirectory + "/postgres/data/postmaster.pid"
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return false }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count > 7, lines[7].trimmingCharacters(in: .whitespaces) == "ready" else { return false }
            return Loopback.exchange(port: port) != nil
        }
    }
}

extension StackStateFile {
    /// The status of each server of a stack owned by another process.
    public func probe() -> [ServiceStatus] {
        StackService.allCases.map { service in
            guard let url = endpoints[service], let pid = servers[service] else {
                return ServiceStatus(service: service, state: .notStarted)
            }
            let port = Int(url.split(separator: ":").last?.split(separator: "/").first ?? "") ?? 0
            guard ProcessLiveness.isAlive(pid) else {
                return ServiceStatus(service: service, state: .exited, url: url, pid: pid, detail: "process gone")
            }
            let state: ServiceStatus.State = service.answers(port: port, runDirectory: runDirectory) ? .running : .notResponding
            return ServiceStatus(service: service, state: state, url: url, pid: pid)
        }
    }
}
