/// The OpenAPI 3.1 description of the API, served at `/openapi.json`.
///
/// Written out by hand, operation by operation (``operations``), rather than
/// derived from the router, so that it states what the API promises and a
/// test can hold the router to it: every registered route must be described
/// here and every operation described here must be registered.
enum OpenAPISpec {
    static let document: JSONDocument = [
        "openapi": "3.1.0",
        "info": [
            "title": "hearth API",
            "version": "1.0.0",
            "description": .string(overview),
        ],
        "servers": [["url": "/"]],
        "tags": .array(["system", "auth", "users", "houses", "house members", "data and alarms", "live dashboard", "appliances", "sensors"].map { ["name": .string($0)] }),
        "paths": paths,
        "components": [
            "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                           "description": "A token from POST /auth/token (HS256; sub, role, iat, exp, iss)."],
                "basic": ["type": "http", "scheme": "basic", "description": "The account's e-mail and password."],
            ],
            "parameters": sharedParameters,
            "responses": errorResponses,
            "schemas": schemas,
        ],
    ]

    /// The document as served.
    static let json: [UInt8] = document.serialized()

    private static let overview = """
        Users, houses, their members, appliances and sensors; the latest reading of every sensor \
        (decrypted from Redis) and alarms. All bodies are JSON with snake_case fields.

        Roles: an administrator may do everything. The owner of a house manages the house, its \
        members, appliances and sensors and reads its data. A resident reads the house, its data \
        and its alarms. A house the caller is not linked to answers 404 on every route, as if it \
        did not exist. 401 (with WWW-Authenticate) means missing or wrong credentials; 403 means \
        known credentials without the right.

        Lists take limit (1-500, default 50) and offset, are ordered by id (alarms: newest first) \
        and return {items, limit, offset, next_offset}. Creating answers 201 with Location; \
        deleting answers 204. PATCH changes only the fields given; an empty PATCH is 422. Every \
        error has the body {"error": {"code", "message", "field"?, "id"?}}; a 500 carries only \
        an id that the server logged.
        """

    /// `{path: {method: operation}}` from ``operations``, in their order.
    private static var paths: JSONDocument {
        var order: [String] = []
        var byPath: [String: [(String, JSONDocument)]] = [:]
        for operation in operations {
            if byPath[operation.path] == nil { order.append(operation.path) }
            byPath[operation.path, default: []].append((operation.method, operation.document))
        }
        return .object(order.map { ($0, .object(byPath[$0]!)) })
    }

    /// A `$ref` to a component schema.
    static func ref(_ name: String) -> JSONDocument {
        ["$ref": .string("#/components/schemas/\(name)")]
    }
}

/// One operation of the API as the document describes it.
struct APIOperation: Sendable {
    enum Access: Sendable { case open, authenticated }

    var method: String
    var path: String
    var tag: String
    var summary: String
    var access: Access = .authenticated
    /// Names of `components/parameters` (`limit`, `offset`).
    var query: [String] = []
    /// The request body's schema name.
    var body: String?
    var success: (status: Int, description: String, schema: JSONDocument?)
    /// Error statuses besides 401 (implied by `.authenticated`) and 500.
    var errors: [Int] = []

    /// The path parameters, from the `{name}` segments.
    var pathParameters: [String] {
        path.split(separator: "/").compactMap { $0.first == "{" ? String($0.dropFirst().dropLast()) : nil }
    }

    var document: JSONDocument {
        var members: [(String, JSONDocument)] = [
            ("tags", [.string(tag)]),
            ("summary", .string(summary)),
            ("operationId", .string(operationID)),
        ]
        let parameters = pathParameters.map { name -> JSONDocument in
            ["name": .string(name), "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]]
        } + query.map { ["$ref": .string("#/components/parameters/\($0)")] }
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let body {
            members.append(("requestBody", ["required": true, "content": ["application/json": ["schema": OpenAPISpec.ref(body)]]]))
        }
        members.append(("security", access == .open ? [] : [["bearer": []], ["basic": []]]))
        var responses: [(String, JSONDocument)] = []
        var successResponse: [(String, JSONDocument)] = [("description", .string(success.description))]
        if success.status == 201 {
            successResponse.append(("headers", ["Location": ["description": "The new resource's path.", "schema": ["type": "string"]]]))
        }
        if let schema = success.schema {
            successResponse.append(("content", ["application/json": ["schema": schema]]))
        }
        responses.append((String(success.status), .object(successResponse)))
        let usesServers = access == .authenticated || body != nil
        let errorStatuses = Set(errors + (access == .authenticated ? [401] : []) + (body != nil ? [400, 422] : []) + [500] + (usesServers ? [503] : []))
        for status in errorStatuses.sorted() {
            responses.append((String(status), ["$ref": .string("#/components/responses/\(status)")]))
        }
        members.append(("responses", .object(responses)))
        return .object(members)
    }

    /// `getHousesIdData` and the like: unique, stable, readable.
    private var operationID: String {
        method + path.split(separator: "/").map { segment in
            let word = segment.filter { $0 != "{" && $0 != "}" }
            return word.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }.joined().replacingOccurrences(of: ".", with: "")
    }
}
