import Fernet
import Testing

/// Key files on disk: created 0600, loose ones refused with the fix, rotation
/// keeps old tokens readable. These touch a temporary directory only.
@Suite("Keyring and key files")
struct KeyringTests {
    @Test("generate creates owner-N.key with mode 0600 in a 0700 directory")
    func generateCreatesProtectedFile() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.file("keys")
        let file = try Keyring.generateKeyFile(forOwner: 7, in: directory)
        #expect(file.path == "\(directory)/owner-7.key")
        #expect(file.keys.count == 1)
        #expect(try temporary.permissions(of: "keys/owner-7.key") == 0o600)
        #expect(try temporary.permissions(of: "keys") == 0o700)
        let text = try temporary.read("keys/owner-7.key")
        #expect(text == file.currentKey.base64URLEncoded + "\n")
    }

    @Test("generate never overwrites an existing key file")
    func generateRefusesOverwrite() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let first = try Keyring.generateKeyFile(forOwner: 1, in: temporary.path)
        let error = #expect(throws: KeyringError.self) { try Keyring.generateKeyFile(forOwner: 1, in: temporary.path) }
        #expect(error?.code == .keyFileExists)
        #expect(error?.message.contains("hearth keys rotate --owner 1") == true)
        #expect(try KeyFile.read(at: first.path).currentKey == first.currentKey)
    }

    @Test("key files readable by group or others are refused with the chmod that fixes them", arguments: [0o644, 0o640, 0o604, 0o660, 0o700 | 0o004])
    func loosePermissionsRefused(mode: Int) throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let file = try Keyring.generateKeyFile(forOwner: 2, in: temporary.path)
        try temporary.chmod("owner-2.key", mode)
        let error = #expect(throws: KeyringError.self) { try Keyring.load(directory: temporary.path) }
        #expect(error?.code == .insecurePermissions)
        #expect(error?.message.contains("chmod 600 \(file.path)") == true)
        #expect(error?.message.contains(file.currentKey.base64URLEncoded) == false)
        let rotateError = #expect(throws: KeyringError.self) { try Keyring.rotateKeyFile(forOwner: 2, in: temporary.path) }
        #expect(rotateError?.code == .insecurePermissions)
    }

    @Test("owner-only modes 0600 and 0400 are accepted")
    func ownerOnlyModesAccepted() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        try Keyring.generateKeyFile(forOwner: 3, in: temporary.path)
        try temporary.chmod("owner-3.key", 0o400)
        #expect(try Keyring.load(directory: temporary.path).owners == [3])
    }

    @Test("a directory loads every owner's file and ignores other names")
    func loadDirectory() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        for owner in [1, 2, 10] {
            try Keyring.generateKeyFile(forOwner: owner, in: temporary.path)
        }
        try temporary.write("not a key", to: "README", permissions: 0o644)
        try temporary.write("not a key", to: "owner-01.key", permissions: 0o644)
        try temporary.write("not a key", to: "owner-x.key", permissions: 0o644)
        let keyring = try Keyring.load(directory: temporary.path)
        #expect(keyring.owners == [1, 2, 10])
        #expect(keyring.directory == temporary.path)
        let error = #expect(throws: KeyringError.self) { try keyring.keys(forOwner: 4) }
        #expect(error?.code == .keyFileNotFound)
        #expect(error?.message.contains("hearth keys generate --owner 4") == true)
    }

    @Test("each owner's MultiFernet opens that owner's tokens only")
    func multiFernetPerOwner() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        try Keyring.generateKeyFile(forOwner: 1, in: temporary.path)
        try Keyring.generateKeyFile(forOwner: 2, in: temporary.path)
        let keyring = try Keyring.load(directory: temporary.path)
        let token = try keyring.multiFernet(forOwner: 1).encrypt("house 1 reading")
        #expect(try keyring.multiFernet(forOwner: 1).decrypt(token) == Array("house 1 reading".utf8))
        let error = #expect(throws: FernetError.self) { try keyring.multiFernet(forOwner: 2).decrypt(token) }
        #expect(error?.code == .badHMAC)
    }

    @Test("rotate puts a new key first; tokens under the old key still decrypt")
    func rotation() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let original = try Keyring.generateKeyFile(forOwner: 5, in: temporary.path)
        let oldToken = try Keyring.load(directory: temporary.path).multiFernet(forOwner: 5).encrypt("before rotation")
        let rotated = try Keyring.rotateKeyFile(forOwner: 5, in: temporary.path)
        #expect(rotated.keys.count == 2)
        #expect(rotated.keys[1] == original.currentKey)
        #expect(rotated.currentKey != original.currentKey)
        #expect(try temporary.permissions(of: "owner-5.key") == 0o600)
        let keyring = try Keyring.load(directory: temporary.path)
        let multi = try keyring.multiFernet(forOwner: 5)
        #expect(try multi.decrypt(oldToken) == Array("before rotation".utf8))
        let newToken = try multi.encrypt("after rotation")
        #expect(try Fernet(key: rotated.currentKey).decrypt(newToken) == Array("after rotation".utf8))
        let leftovers = try temporary.fileNames()
        #expect(leftovers == ["owner-5.key"])
    }

    @Test("rotate with keep drops the oldest keys")
    func rotationWithKeep() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let first = try Keyring.generateKeyFile(forOwner: 6, in: temporary.path)
        try Keyring.rotateKeyFile(forOwner: 6, in: temporary.path)
        let third = try Keyring.rotateKeyFile(forOwner: 6, in: temporary.path, keep: 2)
        #expect(third.keys.count == 2)
        #expect(!third.keys.contains(first.currentKey))
        #expect(try KeyFile.read(at: third.path).keys == third.keys)
    }

    @Test("rotating a missing file says how to create it")
    func rotateMissing() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let error = #expect(throws: KeyringError.self) { try Keyring.rotateKeyFile(forOwner: 9, in: temporary.path) }
        #expect(error?.code == .keyFileNotFound)
        #expect(error?.message.contains("hearth keys generate --owner 9") == true)
    }

    @Test("a malformed key file is refused by line number, without quoting it")
    func malformedFile() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let good = try FernetKey.generate().base64URLEncoded
        try temporary.write("\(good)\nsecret-looking-garbage\n", to: "owner-1.key", permissions: 0o600)
        let error = #expect(throws: KeyringError.self) { try Keyring.load(directory: temporary.path) }
        #expect(error?.code == .malformedKeyFile)
        #expect(error?.message.contains("line 2") == true)
        #expect(error?.message.contains("secret-looking-garbage") == false)
        #expect(error?.message.contains(good) == false)
        try temporary.write("\n  \n", to: "owner-1.key", permissions: 0o600)
        #expect(throws: KeyringError.self) { try Keyring.load(directory: temporary.path) }
    }

    @Test("blank lines, surrounding spaces and CRLF line ends are tolerated")
    func lenientLayout() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let keys = try (0..<2).map { _ in try FernetKey.generate() }
        try temporary.write("\n  \(keys[0].base64URLEncoded)\r\n\n\t\(keys[1].base64URLEncoded)  \r\n", to: "owner-1.key", permissions: 0o600)
        #expect(try KeyFile.read(at: temporary.file("owner-1.key")).keys == keys)
    }

    @Test("a missing directory is directoryNotFound")
    func missingDirectory() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let error = #expect(throws: KeyringError.self) { try Keyring.load(directory: temporary.file("absent")) }
        #expect(error?.code == .directoryNotFound)
    }

    @Test("inspect lists usable and refused files side by side")
    func inspect() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        try Keyring.generateKeyFile(forOwner: 1, in: temporary.path)
        try Keyring.generateKeyFile(forOwner: 2, in: temporary.path)
        try temporary.chmod("owner-2.key", 0o644)
        let statuses = try Keyring.inspect(directory: temporary.path)
        #expect(statuses.map(\.owner) == [1, 2])
        #expect(statuses.map(\.permissions) == [0o600, 0o644])
        #expect((try? statuses[0].keyFile.get())?.keys.count == 1)
        #expect(throws: KeyringError.self) { try statuses[1].keyFile.get() }
    }

    @Test("only canonical owner-N.key names name an owner")
    func fileNames() {
        #expect(Keyring.owner(fromFileName: "owner-0.key") == 0)
        #expect(Keyring.owner(fromFileName: "owner-42.key") == 42)
        for name in ["owner-01.key", "owner--1.key", "owner-+1.key", "owner-.key", "owner-1.key.bak", "owner-1", "x-1.key"] {
            #expect(Keyring.owner(fromFileName: name) == nil, "\(name)")
        }
        #expect(Keyring.path(forOwner: 3, in: "/k/") == "/k/owner-3.key")
        #expect(Keyring.path(forOwner: 3, in: "/k") == "/k/owner-3.key")
    }

    @Test("an in-memory keyring hands out independent MultiFernets")
    func inMemory() throws {
        let key = try FernetKey.generate()
        let keyring = Keyring(keysByOwner: [1: [key]])
        #expect(keyring.directory == nil)
        let token = try keyring.multiFernet(forOwner: 1).encrypt("x")
        #expect(try keyring.multiFernet(forOwner: 1).decrypt(token) == Array("x".utf8))
        #expect(throws: KeyringError.self) { try keyring.multiFernet(forOwner: 2) }
    }
}
