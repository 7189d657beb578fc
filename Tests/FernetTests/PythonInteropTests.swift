import Fernet
import Foundation
import Testing

/// Tokens cross to and from Python's `cryptography` Fernet, the reference
/// implementation most other tools use. An integration test: it runs
/// `python3` and is skipped (reported, not silently passed) when Python or
/// the `cryptography` package is not installed. The spec vectors cover the
/// format when it is skipped.
@Suite("Interop with Python cryptography", .enabled(if: PythonFernet.isAvailable, "needs python3 with the cryptography package"))
struct PythonInteropTests {
    @Test("Python decrypts hearth's tokens and hearth decrypts Python's, through MultiFernet too")
    func bothDirections() throws {
        let key = try FernetKey.generate()
        let older = try FernetKey.generate()
        let reading = #"{"sensor_id":1,"house_id":2,"seq":0,"temperature":21.5,"note":"ünïcode"}"#
        let hearthToken = try MultiFernet(keys: [key, older]).encrypt(reading)
        let reply = try PythonFernet.run(key: key, token: hearthToken, plaintext: reading)
        #expect(reply.decrypted == reading)
        #expect(String(decoding: try Fernet(key: key).decrypt(reply.token, ttl: .seconds(60)), as: UTF8.self) == reading)
        #expect(String(decoding: try MultiFernet(keys: [older, key]).decrypt(reply.token), as: UTF8.self) == reading)
    }
}

/// A small `python3` helper: decrypts hearth's token and encrypts the
/// plaintext with Python's Fernet. The key goes over stdin, not argv.
enum PythonFernet {
    static let script = """
        import json, sys
        from cryptography.fernet import Fernet
        request = json.load(sys.stdin)
        fernet = Fernet(request["key"].encode())
        json.dump({
            "decrypted": fernet.decrypt(request["token"].encode()).decode(),
            "token": fernet.encrypt(request["plaintext"].encode()).decode(),
        }, sys.stdout)
        """

    static var isAvailable: Bool {
        (try? python(["-c", "import cryptography.fernet"], input: Data()))?.status == 0
    }

    struct Reply: Decodable {
        var decrypted: String
        var token: String
    }

    static func run(key: FernetKey, token: String, plaintext: String) throws -> Reply {
        let request = try JSONSerialization.data(withJSONObject: ["key": key.base64URLEncoded, "token": token, "plaintext": plaintext])
        let (status, output) = try python(["-c", script], input: request)
        try #require(status == 0, "python3 exited with \(status)")
        return try JSONDecoder().decode(Reply.self, from: output)
    }

    private static func python(_ arguments: [String], input: Data) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
