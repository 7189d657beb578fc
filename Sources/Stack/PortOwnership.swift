import Foundation

/// Which process listens on a loopback TCP port, from `/proc`.
///
/// Why: a server that answers on the port we gave it is not necessarily ours.
/// When another process took the port first, our server fails to bind and
/// exits, and the probe talks to the other one: a Redis of another stack
/// answers `PING` as well as ours. The stack then came up pointing at a server
/// it did not start, and a test hung once that server went away. Start-up
/// therefore also checks that the listening socket belongs to our child.
enum PortOwnership {
    /// True when process `pid` holds a socket listening on TCP `port`.
    /// Where `/proc` cannot be read (not Linux), it trusts the probe.
    static func isHeld(by pid: Int32, port: Int) -> Bool {
        guard FileManager.default.isReadableFile(atPath: "/proc/net/tcp") else { return true }
        let inodes = listeningInodes(port: port)
        guard !inodes.isEmpty else { return false }
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return false }
        for descriptor in descriptors {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)"),
                  target.hasPrefix("socket:["), target.hasSuffix("]") else { continue }
            if inodes.contains(String(target.dropFirst(8).dropLast())) { return true }
        }
        return false
    }

    /// The inodes of sockets in state LISTEN on `port`, over IPv4 and IPv6.
    static func listeningInodes(port: Int) -> Set<String> {
        let portField = ":" + String(format: "%04X", port)
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, fields[1].hasSuffix(portField), fields[3] == "0A" else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        return inodes
    }
}
