import FlowgateCore
import Foundation
import Hummingbird
import Logging

/// `Authorization: Bearer <key>` → the caller's tenant and scopes; `401` without a known key, `403`
/// when the key lacks the route's scope. Added per route, with that route's scope.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let scope: KeyConfig.Scope

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers.value(of: .authorization) else {
            throw GatewayError(.unauthenticated, "Missing Authorization header; send 'Authorization: Bearer <key>'")
        }
        guard let key = Self.bearerToken(header) else {
            throw GatewayError(.unauthenticated, "Authorization header must be 'Bearer <key>'")
        }
        // The request's generation: a key removed by a reload stops working for the next request.
        guard let caller = try context.requireGeneration().directory.caller(presenting: key) else {
            throw GatewayError(.unauthenticated, "Unknown API key")
        }
        guard caller.scopes.contains(scope) else {
            throw GatewayError(
                .forbidden, "This key lacks the '\(scope.rawValue)' scope",
                details: [.init(field: "scope", issue: "requires \(scope.rawValue)")]
            )
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "tenant"] = .string(caller.tenant.name)
        context.logger[metadataKey: "key_id"] = .string(caller.keyID)
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential (scheme case-insensitive, RFC 7235), or nil.
    static func bearerToken(_ header: String) -> Substring? {
        if let token = plainBearerToken(header) { return token }
        guard let space = header.utf8.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let scheme = header.utf8[..<space]
        // ASCII letters compare case-insensitively with the 0x20 bit set; "bearer" is letters only.
        guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        let rest = header[space...]
        guard let first = rest.firstIndex(where: { !$0.isWhitespace }), let last = rest.lastIndex(where: { !$0.isWhitespace }) else {
            return nil
        }
        return rest[first...last]
    }

    /// The token of the spelling every client sends, `Bearer <token>` with one space and nothing to
    /// trim, read from the bytes in place; nil for any other spelling, which the general reading above
    /// handles. It runs on every request, and walking Characters to trim cost more than the key lookup.
    /// A token that begins and ends with a non-space ASCII byte has nothing to trim by Characters either.
    private static func plainBearerToken(_ header: String) -> Substring? {
        let isPlain = header.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count > 7, bytes[6] == UInt8(ascii: " "), isVisibleASCII(bytes[7]), isVisibleASCII(bytes[bytes.count - 1]) else {
                return false
            }
            return zip(bytes[0..<6], "bearer".utf8).allSatisfy { $0 | 0x20 == $1 }
        }
        guard isPlain == true else { return nil }
        return header[header.utf8.index(header.utf8.startIndex, offsetBy: 7)...]
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }
}
