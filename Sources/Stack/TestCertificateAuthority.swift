import Foundation

/// A throwaway certificate authority and a server certificate for
/// 127.0.0.1, made with the `openssl` command when a stack starts with MQTT
/// over TLS. Clients verify the broker against `caFile`; nothing outlives the
/// run directory, so no key is ever committed or reused.
struct TestCertificateAuthority: Sendable {
    let caFile: String
    let certificateFile: String
    let keyFile: String

    static func create(in run: RunDirectory, readableBy owner: (uid: uid_t, gid: gid_t)?) async throws -> TestCertificateAuthority {
        let folder = try run.folder("tls", mode: 0o755)
        guard let openssl = ServerBinaries.find("openssl") else {
            throw StackError(.missingBinary, "openssl is not installed: run `apt-get install -y openssl` and try again")
        }
        let authority = TestCertificateAuthority(caFile: folder + "/ca.crt", certificateFile: folder + "/server.crt", keyFile: folder + "/server.key")
        let extensions = folder + "/server.ext"
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hearth test CA",
             "-keyout", folder + "/ca.key", "-out", authority.caFile],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
             "-keyout", authority.keyFile, "-out", folder + "/server.csr"],
            ["x509", "-req", "-in", folder + "/server.csr", "-CA", authority.caFile, "-CAkey", folder + "/ca.key",
             "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", authority.certificateFile],
        ]
        for arguments in steps {
            let step = try ChildProcess(executable: openssl, arguments: arguments, logFile: run.file("tls.log"))
            await step.waitForExit()
            guard step.exitedSuccessfully else {
                throw StackError(.serverFailedToStart, service: .mqtt, "could not make the test TLS certificates: \(run.tail("tls.log"))")
            }
        }
        // The broker runs as its own user and must read its key; nobody else may.
        if let owner {
            chown(authority.keyFile, owner.uid, owner.gid)
        }
        chmod(authority.keyFile, 0o600)
        try? FileManager.default.removeItem(atPath: folder + "/ca.key")
        return authority
    }
}
