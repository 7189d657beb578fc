import Fernet
import Foundation
import Logging
@testable import Subscriber
import Testing

/// The key folder watcher on a real folder: what a look at a few owners'
/// files finds, and that a broken file is not retried batch after batch.
@Suite("Key folder watcher")
struct KeyringWatcherTests {
    private func withFolder(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Keyring.generateKeyFile(forOwner: 1, in: folder)
        try await body(folder)
    }

    @Test("a look at one owner's file finds a new or rotated key at once, and nothing when nothing changed")
    func ownerLook() async throws {
        try await withFolder { folder in
            let watcher = try await KeyringWatcher(directory: folder, logger: Logger(label: "test"))
            await watcher.reloadIfChanged(owners: [1, 2])
            #expect(watcher.current.generation == 0)

            _ = try Keyring.generateKeyFile(forOwner: 2, in: folder)
            await watcher.reloadIfChanged(owners: [2])
            #expect(watcher.current.generation == 1 && watcher.current.keyring.owners.sorted() == [1, 2])

            let rotated = try Keyring.rotateKeyFile(forOwner: 1, in: folder)
            await watcher.reloadIfChanged(owners: [1])
            #expect(watcher.current.generation == 2)
            #expect(try watcher.current.keyring.keys(forOwner: 1).count == rotated.keys.count)
            await watcher.reloadIfChanged(owners: [1])
            await watcher.reloadIfChanged(unlessLookedSince: 0)
            #expect(watcher.current.generation == 2)
        }
    }

    @Test("a key file that cannot be loaded keeps the previous keys, and is not reloaded again until it changes")
    func brokenFile() async throws {
        try await withFolder { folder in
            let watcher = try await KeyringWatcher(directory: folder, logger: Logger(label: "test"))
            _ = try Keyring.rotateKeyFile(forOwner: 1, in: folder)
            let path = Keyring.path(forOwner: 1, in: folder)
            #expect(chmod(path, 0o644) == 0)
            await watcher.reloadIfChanged(owners: [1])
            #expect(try watcher.current.generation == 0 && watcher.current.keyring.keys(forOwner: 1).count == 1)
            // Remembered as seen: the full look finds nothing new either.
            await watcher.reloadIfChanged()
            #expect(watcher.current.generation == 0)
            #expect(chmod(path, 0o600) == 0)
            _ = try Keyring.rotateKeyFile(forOwner: 1, in: folder)
            await watcher.reloadIfChanged(owners: [1])
            #expect(try watcher.current.generation == 1 && watcher.current.keyring.keys(forOwner: 1).count == 3)
        }
    }
}
