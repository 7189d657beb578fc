@testable import API
import Foundation
import Hummingbird
import Testing

extension APITests {
/// `/openapi.json` against the router: what is served is what is described.
@Suite("OpenAPI document")
struct OpenAPITests {

    static var documentedRoutes: Set<String> {
        Set(OpenAPISpec.operations.map { "\($0.method.uppercased()) \($0.path)" })
    }

    @Test("every registered route is described, and every described operation is registered; /openapi.json serves the document")
    func routesMatchTheDocument() async throws {
        try await TestAPI.run(seed: false) { api throws in
            let router = HearthAPI.router(services: api.services)
            let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
            #expect(registered.count == OpenAPISpec.operations.count)
            #expect(registered.subtracting(Self.documentedRoutes).sorted() == [], "registered but not in openapi.json")
            #expect(Self.documentedRoutes.subtracting(registered).sorted() == [], "in openapi.json but not registered")
            let served = try await api.send(.get, "/openapi.json")
            #expect(served.status == .ok)
            #expect(served.body == OpenAPISpec.json)
        }
    }

    @Test("the served document is valid JSON with every path, and every schema it references exists")
    func documentIsComplete() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPISpec.json)) as? [String: Any])
        #expect(object["openapi"] as? String == "3.1.0")
        let paths = try #require(object["paths"] as? [String: [String: Any]])
        for route in Self.documentedRoutes {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            #expect(paths[parts[1]]?[parts[0].lowercased()] != nil, "\(route)")
        }
        let text = String(decoding: OpenAPISpec.json, as: UTF8.self)
        let components = try #require(object["components"] as? [String: [String: Any]])
        let references = text.matches(of: /"\$ref": "#\/components\/(\w+)\/(\w+)"/)
        #expect(references.count > 50)
        for reference in references {
            #expect(components[String(reference.1)]?[String(reference.2)] != nil, "dangling \(reference.0)")
        }
    }

    @Test("each operation promises the statuses its kind of route can give")
    func statusesAreDocumented() throws {
        for operation in OpenAPISpec.operations {
            let document = operation.document
            let statuses = Set(document["responses"]?.keys ?? [])
            let name = "\(operation.method) \(operation.path)"
            if operation.access == .authenticated { #expect(statuses.contains("401"), "\(name)") }
            if !operation.pathParameters.isEmpty { #expect(statuses.contains("404"), "\(name)") }
            if operation.body != nil { #expect(statuses.isSuperset(of: ["400", "422"]), "\(name)") }
            if operation.method == "post" && operation.success.status == 201 { #expect(document["responses"]?["201"]?["headers"] != nil, "\(name)") }
            if operation.method == "delete" { #expect(statuses.contains("204"), "\(name)") }
            if operation.method == "patch" { #expect(statuses.contains("422"), "\(name)") }
        }
    }
}
}
