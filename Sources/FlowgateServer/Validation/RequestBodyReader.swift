import FlowgateCore
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// Reads a request's JSON body, bounded by `max_body_bytes` (over it: `413`, via `NIOTooManyBytesError`).
///
/// `Content-Type` is not enforced: `curl -d` sends a form type by default, and the body is parsed as
/// JSON either way, so a bad body still gets a precise `400`. Before decoding, one pass refuses a key
/// repeated in any object and nesting deeper than ``JSONDuplicateKeys/maxDepth``: the decoder would
/// keep one of two equal keys silently, and it recurses once per level.
enum RequestBodyReader {
    /// The parsed body, or nil when the body is empty.
    static func json(_ request: Request, limit: Int) async throws -> JSONValue? {
        let buffer = try await request.body.collect(upTo: limit)
        guard buffer.readableBytes > 0 else { return nil }
        let finding = buffer.withUnsafeReadableBytes { JSONDuplicateKeys.scan($0) }
        switch finding {
        case .none: break
        case .duplicate(let path): throw GatewayError.invalid(FieldName.printable(path), "appears more than once in the body (duplicate key)")
        case .tooDeep: throw GatewayError.invalid("body", "nests objects and arrays deeper than \(JSONDuplicateKeys.maxDepth) levels")
        case .trailingComma: throw GatewayError.invalid("body", "is not valid JSON (a comma before a closing bracket)")
        }
        let data = Data(buffer: buffer)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        guard let value = JSONValue.parse(data) else { throw GatewayError.invalid("body", "is not valid JSON") }
        return value
    }

    /// The body as a JSON object's members; an empty body is an empty object.
    static func object(_ request: Request, limit: Int) async throws -> [String: JSONValue] {
        guard let value = try await json(request, limit: limit) else { return [:] }
        guard let members = value.objectValue else {
            throw GatewayError.invalid("body", "must be a JSON object, not \(value.typeName)")
        }
        return members
    }
}
