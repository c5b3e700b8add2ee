import FlowgateCore
import HTTPTypes
import Hummingbird

@testable import FlowgateServer

/// `GET /v1/instances` query validation (`QueryReader` + `InstanceListQuery.parse`) on any query
/// string: refused with a `GatewayError`, or accepted with every value within its bounds.
enum QueryFuzz {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let query = String(decoding: bytes, as: UTF8.self)
        let head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/v1/instances?" + query)
        let request = Request(head: head, body: RequestBody(buffer: .init()))
        let parsed: InstanceListQuery
        do {
            parsed = try InstanceListQuery.parse(QueryReader(request))
        } catch is GatewayError {
            return
        } catch {
            fatalError("InstanceListQuery.parse threw \(type(of: error)), not a GatewayError")
        }
        Invariant.require((1...100).contains(parsed.limit), "limit \(parsed.limit)")
        for connection in parsed.connections {
            Invariant.boundedText(connection, maxBytes: 512, "connection")
            Invariant.require(!connection.containsControlCharacters, "control character in connection")
        }
        // An empty cursor passes here and is refused by CursorSealer.open, which every route calls.
        if let cursor = parsed.cursor { Invariant.boundedText(cursor, maxBytes: CursorSealer.maxTokenLength, "cursor", allowEmpty: true) }
        if let after = parsed.startedAfter, let before = parsed.startedBefore { Invariant.require(after <= before, "after > before") }
        _ = parsed.fingerprint
    }
}
