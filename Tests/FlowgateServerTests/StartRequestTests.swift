import FlowgateCore
import Foundation
import Testing

@testable import FlowgateServer

/// The start body's `entity.id`: a string, or an integer as JSON Schema counts them (schemathesis sent
/// `-583.0`, which the schema's `type: integer` admits).
@Suite struct StartRequestTests {
    static func entityID(_ id: JSONValue) throws -> String? {
        try StartRequest.parse([
            "definition": .string("b24:713"), "entity": .object(["type": .string("deal"), "id": id]),
        ]).entity?.id
    }

    @Test func integersInAnySpellingAreTheirDecimalString() throws {
        #expect(try Self.entityID(.string("DEAL_5150")) == "DEAL_5150")
        #expect(try Self.entityID(.int(42)) == "42")
        #expect(try Self.entityID(.int(Int64.min)) == "-9223372036854775808")
        #expect(try Self.entityID(.double(-583.0)) == "-583")
        #expect(try Self.entityID(.double(9_007_199_254_740_992)) == "9007199254740992")
    }

    @Test func fractionsHugeNumbersAndOtherTypesAreRefusedNamingTheField() {
        for id: JSONValue in [.double(1.5), .double(1e300), .double(-.infinity), .bool(true), .null, .array([]), .string("")] {
            #expect(throws: GatewayError.self, "\(id)") { try Self.entityID(id) }
            do {
                _ = try Self.entityID(id)
            } catch let error as GatewayError {
                #expect(error.details?.map(\.field) == ["entity.id"], "\(id)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
