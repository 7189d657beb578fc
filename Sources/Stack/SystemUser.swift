#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system account the servers run as when hearth runs as root.
///
/// Looked up once per process with `getpwnam_r`. `getpwnam` returns a
/// shared static record, and stacks start on threads of their own at the
/// same time (every test suite starts its own): one lookup could read
/// another's half-written record, and a data folder then went to the wrong
/// owner ("could not access directory …/postgres/data: Permission denied").
struct SystemUser: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    static let postgres = lookup("postgres")
    static let mosquitto = lookup("mosquitto")

    /// The account named `name`, or nil if there is none.
    static func lookup(_ name: String) -> SystemUser? {
        var record = passwd()
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        var found: UnsafeMutablePointer<passwd>?
        let rc = getpwnam_r(name, &record, &buffer, buffer.count, &found)
        guard rc == 0, found != nil else { return nil }
        return SystemUser(name: name, uid: record.pw_uid, gid: record.pw_gid)
    }

    /// `user`, if this process runs as root and so must hand the server to it.
    static func serverAccount(_ user: SystemUser?) -> SystemUser? {
        geteuid() == 0 ? user : nil
    }
}
