#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlockingIO
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
        guard access("/proc/net/tcp", R_OK) == 0 else { return true }
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

    /// The inodes of sockets in state LISTEN on `port`, over IPv4 and IPv6,
    /// from the whole of each table (see `readWholeFile`).
    static func listeningInodes(port: Int) -> Set<String> {
        // Only lines with the port as their local address are split into fields.
        let needle = Array(":\(String(format: "%04X", port)) ".utf8)
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let bytes = readWholeFile(table) else { continue }
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            for line in bytes.split(separator: UInt8(ascii: "\n")) where line.firstRange(of: needle) != nil {
                let fields = line.split(separator: UInt8(ascii: " "))
                guard fields.count > 9, fields[1].ends(with: needle.dropLast()), Array(fields[3]) == Array("0A".utf8) else { continue }
                inodes.insert(String(decoding: fields[9], as: UTF8.self))
            }
        }
        return inodes
    }
}

private extension ArraySlice where Element == UInt8 {
    func ends(with suffix: ArraySlice<UInt8>) -> Bool {
        count >= suffix.count && self.suffix(suffix.count).elementsEqual(suffix)
    }
}
