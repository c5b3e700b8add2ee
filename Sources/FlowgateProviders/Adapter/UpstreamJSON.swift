import FlowgateCore
import Foundation

/// Reading upstream JSON defensively. The strict readers here are for what an answer cannot do without
/// (the envelope, an instance's id and status word, a definition's id): when one breaks the contract
/// (not JSON, missing, of the wrong type) the answer becomes `502 UPSTREAM_ERROR` naming the field,
/// never a crash. Everything else goes through the tolerant readers (`UpstreamJSON+Tolerant.swift`).
public struct UpstreamJSON: Sendable {
    public let connection: ProviderConnection

    public init(_ connection: ProviderConnection) {
        self.connection = connection
    }

    /// The reply's body as JSON.
    public func document(_ reply: UpstreamReply) throws -> JSONValue {
        guard let value = Self.parse(reply.body) else {
            throw broken("the answer is not JSON", status: reply.status)
        }
        return value
    }

    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        return JSONValue.parse(Data(bytes))
    }

    /// `502 UPSTREAM_ERROR`: the upstream answered something its contract does not allow.
    public func broken(_ what: String, status: Int? = nil) -> GatewayError {
        connection.error(
            .upstreamError, "\(connection.kind.rawValue) answered outside its contract: \(what)",
            upstream: status.map { .init(status: $0, code: nil, message: nil) }
        )
    }

    public func object(_ value: JSONValue?, _ path: String) throws -> [String: JSONValue] {
        guard case .object(let members)? = value else { throw broken("\(path) is not an object") }
        return members
    }

    public func array(_ value: JSONValue?, _ path: String) throws -> [JSONValue] {
        guard case .array(let items)? = value else { throw broken("\(path) is not an array") }
        return items
    }

    public func string(_ value: JSONValue?, _ path: String) throws -> String {
        guard case .string(let text)? = value else { throw broken(value == nil ? "\(path) is missing" : "\(path) is not a string") }
        return text
    }

    /// An id the upstream may send as a string or as a number; always a string in the canonical model.
    public func identifier(_ value: JSONValue?, _ path: String) throws -> String {
        switch value {
        case .string(let text)? where !text.isEmpty: return text
        case .int(let number)?: return String(number)
        case nil: throw broken("\(path) is missing")
        default: throw broken("\(path) is not an id")
        }
    }
}
