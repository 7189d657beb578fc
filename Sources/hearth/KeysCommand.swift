import ArgumentParser
import Fernet
import Foundation

/// `hearth keys generate|rotate|list`: the house owners' Fernet key files.
///
/// No subcommand ever prints a key. Keys are named by fingerprint (first 8 hex
/// digits of the SHA-256 of the key), which identifies a key without revealing it.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, rotate and list the house owners' Fernet key files.",
        discussion: """
            Each owner's keys live in <dir>/owner-<N>.key, mode 0600, one base64url key
            per line with the current key first. The directory is --dir, else
            $\(KeyDirectoryOptions.environmentVariable), else \(Keyring.defaultDirectory).
            """,
        subcommands: [Generate.self, Rotate.self, List.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key file with one new key for each given owner (never overwrites)."
        )

        @Option(name: .customLong("owner"), help: "Owner number; repeat for several owners.")
        var owners: [Int] = []

        @OptionGroup var keyDirectory: KeyDirectoryOptions

        func run() throws {
            try requireOwners(owners)
            let directory = keyDirectory.resolved
            for owner in owners {
                let file = try withKeyringErrors { try Keyring.generateKeyFile(forOwner: owner, in: directory) }
                print("created \(file.path) (owner \(owner), key \(file.currentKey.fingerprint), mode \(KeyFile.modeString(file.permissions)))")
            }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a new current key in front of an owner's keys; older keys still decrypt."
        )

        @Option(name: .customLong("owner"), help: "Owner number; repeat for several owners.")
        var owners: [Int] = []

        @Option(help: "Keep at most this many keys, the new one included, dropping the oldest.")
        var keep: Int?

        @OptionGroup var keyDirectory: KeyDirectoryOptions

        func run() throws {
            try requireOwners(owners)
            if let keep, keep < 1 {
                printError("--keep must be at least 1 (the new key)")
                throw ExitCode.badInput
            }
            let directory = keyDirectory.resolved
            for owner in owners {
                let file = try withKeyringErrors { try Keyring.rotateKeyFile(forOwner: owner, in: directory, keep: keep) }
                print("rotated \(file.path) (owner \(owner)): current key \(file.currentKey.fingerprint), \(file.keys.count) key\(file.keys.count == 1 ? "" : "s")")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List key files: owner, number of keys, mode, key fingerprints (current first), file.",
            discussion: "Exits 2 if any key file is refused (loose permissions or malformed)."
        )

        @OptionGroup var keyDirectory: KeyDirectoryOptions

        func run() throws {
            let directory = keyDirectory.resolved
            let statuses = try withKeyringErrors { try Keyring.inspect(directory: directory) }
            guard !statuses.isEmpty else {
                print("no key files in \(directory); create one with `hearth keys generate --owner N --dir \(directory)`")
                return
            }
            print(row("OWNER", "KEYS", "MODE", "FINGERPRINTS", "FILE"))
            var refused: [KeyringError] = []
            for status in statuses {
                let mode = status.permissions.map(KeyFile.modeString) ?? "-"
                switch status.keyFile {
                case .success(let file):
                    let fingerprints = file.keys.map { $0.fingerprint }.joined(separator: ",")
                    print(row("\(status.owner)", "\(file.keys.count)", mode, fingerprints, file.path))
                case .failure(let error):
                    print(row("\(status.owner)", "-", mode, "refused", status.path))
                    refused.append(error)
                }
            }
            for error in refused {
                printError(error.message)
            }
            if !refused.isEmpty { throw ExitCode.badInput }
        }

        private func row(_ owner: String, _ keys: String, _ mode: String, _ fingerprints: String, _ file: String) -> String {
            func pad(_ text: String, _ width: Int) -> String {
                text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
            }
            return pad(owner, 7) + pad(keys, 6) + pad(mode, 6) + pad(fingerprints, 28) + file
        }
    }
}

/// `--dir` for every command that reads or writes key files, so that
/// scenario runs and the API find keys the same way `hearth keys` wrote them.
struct KeyDirectoryOptions: ParsableArguments {
    static let environmentVariable = "HEARTH_KEYS_DIR"

    @Option(name: .customLong("dir"), help: "Key directory (default: $HEARTH_KEYS_DIR, else ./.hearth/keys).")
    var directory: String?

    /// --dir, else $HEARTH_KEYS_DIR, else ./.hearth/keys.
    var resolved: String {
        if let directory { return directory }
        if let fromEnvironment = ProcessInfo.processInfo.environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Keyring.defaultDirectory
    }
}

/// Runs a keyring operation; a failure becomes one line on stderr and the
/// contract's exit code: 1 if the system or libcrypto failed, 2 if the key
/// files or the arguments are at fault.
private func withKeyringErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as KeyringError {
        printError(error.message)
        throw error.code == .fileSystem || error.code == .cryptoFailure ? ExitCode.runtimeError : ExitCode.badInput
    }
}

private func requireOwners(_ owners: [Int]) throws {
    guard !owners.isEmpty else {
        printError("say whose keys with --owner N (repeat for several owners)")
        throw ExitCode.badInput
    }
    if let negative = owners.first(where: { $0 < 0 }) {
        printError("owner \(negative) is not a valid owner number (0 or more)")
        throw ExitCode.badInput
    }
}
