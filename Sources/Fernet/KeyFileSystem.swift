#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations key files need, each turning a failed call
/// into a ``KeyringError`` (like NIO's `syscall` helper).
///
/// Plain system calls rather than Foundation because the guarantees matter:
/// a key file is created by `open(O_CREAT | O_EXCL, 0600)` so it is never,
/// even for an instant, readable by others (a `chmod` afterwards would leave
/// a window), permissions are checked on the open descriptor (`fstat`) so the
/// file checked is the file read, and descriptors are `O_CLOEXEC` so they do
/// not leak into the servers hearth starts as child processes.
enum KeyFileSystem {
    /// Permission bits a key file must not have: any access by group or others.
    static let looseBits: UInt32 = 0o077

    /// The permission bits (`mode & 0o7777`) of `path`, or nil if it does not exist.
    static func permissions(of path: String) throws(KeyringError) -> UInt32? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw KeyringError.fromErrno("cannot stat", path: path)
        }
        return UInt32(status.st_mode) & 0o7777
    }

    /// Reads a whole key file after checking, on the open descriptor, that it
    /// is a regular file that neither group nor others can access.
    static func readProtectedFile(_ path: String) throws(KeyringError) -> (contents: [UInt8], permissions: UInt32) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT {
                throw KeyringError(.keyFileNotFound, "no key file at \(path)", path: path)
            }
            throw KeyringError.fromErrno("cannot open", path: path)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw KeyringError.fromErrno("cannot stat", path: path)
        }
        guard UInt32(status.st_mode) & UInt32(S_IFMT) == UInt32(S_IFREG) else {
            throw KeyringError(.malformedKeyFile, "\(path) is not a regular file", path: path)
        }
        let permissions = UInt32(status.st_mode) & 0o7777
        try requireProtected(path, permissions: permissions)
        var contents: [UInt8] = []
        contents.reserveCapacity(Int(status.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw KeyringError.fromErrno("cannot read", path: path)
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
        }
        chunk.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        return (contents, permissions)
    }

    /// Throws ``KeyringError/Code/insecurePermissions`` with the fix if group or others have any access.
    static func requireProtected(_ path: String, permissions: UInt32) throws(KeyringError) {
        guard permissions & looseBits == 0 else {
            throw KeyringError(
                .insecurePermissions,
                "\(path) has mode \(KeyFile.modeString(permissions)), so other users can read the keys in it; run `chmod 600 \(path)` (and consider rotating the keys)",
                path: path
            )
        }
    }

    /// Creates `path` with mode 0600 and writes `contents`; fails if it exists.
    static func createExclusive(_ path: String, contents: [UInt8]) throws(KeyringError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                throw KeyringError(.keyFileExists, "\(path) already exists", path: path)
            }
            throw KeyringError.fromErrno("cannot create", path: path)
        }
        var written = 0
        var failure: KeyringError?
        while written < contents.count, failure == nil {
            let count = contents.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno != EINTR {
                failure = KeyringError.fromErrno("cannot write", path: path)
            } else if count > 0 {
                written += count
            }
        }
        if failure == nil, fsync(descriptor) != 0 {
            failure = KeyringError.fromErrno("cannot sync", path: path)
        }
        if close(descriptor) != 0, failure == nil {
            failure = KeyringError.fromErrno("cannot close", path: path)
        }
        if let failure {
            unlink(path)
            throw failure
        }
    }

    /// Replaces `path` with a new 0600 file holding `contents`, atomically: a
    /// reader sees either the old keys or the new ones, never a partial file.
    static func replaceAtomically(_ path: String, contents: [UInt8]) throws(KeyringError) {
        let directory = parentDirectory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = "\(directory)/.\(name).\(getpid()).tmp"
        try createExclusive(temporary, contents: contents)
        guard rename(temporary, path) == 0 else {
            let error = KeyringError.fromErrno("cannot replace", path: path)
            unlink(temporary)
            throw error
        }
        syncDirectory(directory)
    }

    /// Creates `path` and any missing parents with mode 0700 (`mkdir -p`).
    static func createDirectories(_ path: String) throws(KeyringError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw KeyringError.fromErrno("cannot create directory", path: prefix)
            }
            prefix += "/"
        }
    }

    /// The names in a directory, without `.` and `..`.
    static func fileNames(in directory: String) throws(KeyringError) -> [String] {
        guard let stream = opendir(directory) else {
            if errno == ENOENT {
                throw KeyringError(.directoryNotFound, "no key directory at \(directory); create keys with `hearth keys generate --owner N --dir \(directory)`", path: directory)
            }
            throw KeyringError.fromErrno("cannot list", path: directory)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != ".", name != ".." {
                names.append(name)
            }
        }
        return names
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Makes a rename durable; a failure here loses nothing already written, so it is not reported.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
