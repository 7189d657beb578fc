import Fernet

extension Keyring {
    /// The keys of owners 1...`owners` in `directory`, creating the key files
    /// (mode 0600) of owners that have none yet; existing files are kept, so
    /// a subscriber started with the same directory decrypts what the
    /// publisher sends, before or after either was started.
    ///
    /// - Throws: ``PublisherError/Code/keys`` with the keyring's own message
    ///   (an unreadable directory, a key file with loose permissions).
    public static func provisioned(owners: Int, directory: String) throws(PublisherError) -> Keyring {
        do {
            let existing = try? Keyring.load(directory: directory)
            var created = 0
            for owner in 1 ... max(1, owners) where (try? existing?.keys(forOwner: owner)) == nil {
                do {
                    try Keyring.generateKeyFile(forOwner: owner, in: directory)
                    created += 1
                } catch where error.code == .keyFileExists {
                    // Another process (a subscriber starting alongside) made it first.
                }
            }
            return created == 0 && existing != nil ? existing! : try Keyring.load(directory: directory)
        } catch {
            throw PublisherError(.keys, error.message)
        }
    }
}
