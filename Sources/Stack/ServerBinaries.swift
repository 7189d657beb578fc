import Foundation

/// Finds the Debian-installed server programs.
///
/// Debian puts redis-server and mosquitto on the PATH (or in /usr/sbin), but
/// keeps PostgreSQL's server programs in /usr/lib/postgresql/<major>/bin, off
/// the PATH, so that several majors can live side by side. We take the newest.
struct ServerBinaries: Sendable {
    var redisServer: String
    var mosquitto: String
    var postgres: String
    var initdb: String
    /// `setpriv` (util-linux) runs PostgreSQL as the postgres user when we are
    /// root: postgres refuses to run as root, and `runuser` forks, so its pid is
    /// not the server's.
    var setpriv: String

    static func locate(for services: Set<StackService>) throws -> ServerBinaries {
        func need(_ program: String, package: String, extra: [String] = []) throws -> String {
            if let path = find(program, extra: extra) { return path }
            throw StackError(.missingBinary, "\(program) is not installed: run `apt-get install -y \(package)` and try again")
        }
        let pgBin = postgresBinDirectories()
        return ServerBinaries(
            redisServer: services.contains(.redis) ? try need("redis-server", package: "redis-server") : "",
            mosquitto: services.contains(.mqtt) ? try need("mosquitto", package: "mosquitto") : "",
            postgres: services.contains(.postgres) ? try need("postgres", package: "postgresql", extra: pgBin) : "",
            initdb: services.contains(.postgres) ? try need("initdb", package: "postgresql", extra: pgBin) : "",
            setpriv: services.contains(.postgres) && geteuid() == 0 ? try need("setpriv", package: "util-linux") : ""
        )
    }

    /// PostgreSQL's bin folders, newest major first.
    static func postgresBinDirectories() -> [String] {
        let root = "/usr/lib/postgresql"
        let majors = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return majors.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }
    }

    /// The first executable called `program` in `extra`, then PATH, then the sbin folders.
    static func find(_ program: String, extra: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders = extra + path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        for folder in folders {
            let candidate = folder + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
