/// Who is calling: the user id that a verified token or password proved.
///
/// The role here is what the credential said when it was checked. Handlers
/// never authorise on it alone: every access check reads the caller's
/// current role and house links from the database in the same query that
/// fetches the data (see ``AccessControl``), so a demoted administrator or a
/// removed resident loses access at once, not when their token expires.
public struct Principal: Sendable, Hashable {
    public let userID: Int
    public let role: UserRole

    public init(userID: Int, role: UserRole) {
        self.userID = userID
        self.role = role
    }
}

/// A user's role across the whole system (`users.role`).
public enum UserRole: String, Sendable, Codable, Hashable, CaseIterable {
    /// Everything, everywhere.
    case admin
    /// What their house links allow.
    case user
}

/// A user's role in one house (`house_users.role`).
public enum HouseRole: String, Sendable, Codable, Hashable, CaseIterable {
    /// Manages the house, its members, appliances and sensors, and reads its data.
    case owner
    /// Reads the house's data and alarms.
    case resident
}
