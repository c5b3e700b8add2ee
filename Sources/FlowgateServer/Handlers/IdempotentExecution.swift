import Crypto
import FlowgateCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Runs a start or cancel under its `Idempotency-Key` (docs/canonical-api.md#idempotency): same key and same request within
/// 24 h replays the first answer with `Idempotent-Replayed: true`, same key and another request is
/// `409 CONFLICT`, and a concurrent duplicate waits for the first.
///
/// Only successful answers are kept. A failed request frees its key, so a retry runs again — the
/// failures that reach here (timeouts, 5xx, rate limits, validation the upstream refused) either
/// changed nothing upstream or are what a retry is for.
struct IdempotentExecution {
    let store: any IdempotencyStore

    /// `request` names the operation and its target and holds the canonical body, so key reuse on
    /// another instance or with another body is a conflict.
    func run(
        key: String?, tenant: String, request: [String], _ execute: () async throws -> StoredResponse
    ) async throws -> Response {
        guard let key else { return Self.response(try await execute()) }
        let scope = IdempotencyScope(tenant: tenant, key: key)
        let fingerprint = Self.fingerprint(request)
        switch await store.begin(scope, fingerprint: fingerprint) {
        case .replay(let stored):
            var response = Self.response(stored)
            response.headers[.idempotentReplayed] = "true"
            return response
        case .conflict, .wait:
            throw GatewayError(.conflict, "Idempotency-Key was already used for a different request")
        case .proceed:
            break
        }
        do {
            let answer = try await execute()
            await store.complete(scope, fingerprint: fingerprint, response: answer)
            return Self.response(answer)
        } catch {
            await store.release(scope, fingerprint: fingerprint)
            throw error
        }
    }

    static func fingerprint(_ parts: [String]) -> String {
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8))
        return HexDigits.lowercase(digest)
    }

    private static func response(_ answer: StoredResponse) -> Response {
        Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: [.contentType: JSONResponse.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}

extension HTTPField.Name {
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
