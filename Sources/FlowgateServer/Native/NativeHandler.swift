import AsyncHTTPClient
import Crypto
import FlowgateCore
import FlowgateProviders
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// `ANY /v1/connections/{name}/native/{path…}`: a provider-native request forwarded to the connection's
/// upstream with the tenant's credentials injected, so a legacy client (an official SDK with its base URL
/// pointed here) keeps working without holding the upstream's secrets (docs/native.md).
///
/// The path is checked against the provider's allow-list before anything else; the call then takes the
/// upstream path of every canonical call (deadline, retries for GET/HEAD only, the bucket its route
/// names, breaker, metrics with `operation="native"`), and the answer streams back as the upstream sent it.
struct NativeHandler: Sendable {
    /// The route, in router syntax: `**` is the rest of the path.
    static let template = "/v1/connections/{name}/native/**"
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]

    let services: GatewayServices

    func forward(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let tenant = try context.requireCaller().tenant
        let segment = context.parameters.get("name") ?? ""
        let connection = try tenant.connection(named: segment)
        do {
            return try await forward(request, context, tenant: tenant.name, connection: connection, segment: segment)
        } catch var error as GatewayError {
            // Every error of this route names the connection's provider: it picks the envelope.
            error.provider = error.provider ?? connection.provider
            error.connection = error.connection ?? connection.name
            throw error
        }
    }

    private func forward(
        _ request: Request, _ context: GatewayRequestContext, tenant: String, connection: ConnectionConfig, segment: String
    ) async throws -> Response {
        let generation = try context.requireGeneration()
        let endpoint = try generation.adapters.endpoint(tenant: tenant, connection: connection.name)
        guard let rules = services.native[connection.provider] else {
            throw GatewayError(.internalError, "No native rules for \(connection.provider.rawValue)")
        }
        let target = try NativeTarget.resolve(
            rawPath: request.uri.path, connectionSegment: segment, method: request.method, connection: connection, rules: rules,
            table: endpoint.adapter.connection.routes
        )
        let query = try NativeQuery.check(request.uri.query)
        let isRead = request.method == .get || request.method == .head
        let idempotencyKey = request.method == .post ? try IdempotencyKey.read(request) : nil
        let body = try await NativeRequestBody.read(
            request, mustKeep: isRead || idempotencyKey != nil || endpoint.adapter.renewsNativeCredentials,
            limit: generation.config.server.maxBodyBytes
        )
        let call = UpstreamCall(
            route: NativeExchange.operation, method: request.method.rawValue, path: target.path.encoded,
            headers: NativeHeaders.toUpstream(request.headers, requestID: context.requestID), buckets: target.buckets, isRead: isRead
        )
        let exchange = NativeExchange(call: call, rawQuery: query, body: body)
        let secrets = connection.credentials.values.map(\.value)
        let limit = ConnectionAdapters.maxAnswerBytes

        if let lookup = NativeCache.lookup(
            request, tenant: tenant, connection: connection, path: target.path, query: query, routeTTL: target.route?.cacheTTLSeconds)
        {
            let exchange = exchange.identityEncoded()
            return try await services.cache.serve(lookup) {
                let (response, body) = try await NativeAnswer.collected(
                    try await send(exchange, endpoint), limit: limit, secrets: secrets, provider: connection.provider
                )
                return NativeCache.answer(response, body: body)
            }
        }
        if let idempotencyKey, let kept = body.kept {
            let exchange = exchange.identityEncoded()
            let parts = ["native", connection.name, request.method.rawValue, target.path.encoded, query ?? "", Self.digest(kept)]
            do {
                return try await IdempotentExecution(store: services.idempotency).run(key: idempotencyKey, tenant: tenant, request: parts) {
                    let upstream = try await written(exchange, endpoint, tenant: tenant, connection: connection.name)
                    let (response, bytes) = try await NativeAnswer.collected(upstream, limit: limit, secrets: secrets, provider: connection.provider)
                    // Only successes are kept: a refused write frees its key, as on canonical starts.
                    guard (200..<300).contains(response.status.code) else { throw UpstreamAnswer(response: response) }
                    return StoredResponse(status: response.status.code, body: Array(buffer: bytes))
                }
            } catch let answer as UpstreamAnswer {
                return answer.response
            }
        }
        let upstream =
            isRead ? try await send(exchange, endpoint) : try await written(exchange, endpoint, tenant: tenant, connection: connection.name)
        return try await NativeAnswer.streamed(upstream, method: request.method, secrets: secrets, provider: connection.provider)
    }

    /// Sends a write; whatever its outcome (an answer lost to a timeout may still have been applied), the
    /// connection's cached answers are dropped once it is over.
    private func written(
        _ exchange: NativeExchange, _ endpoint: ConnectionAdapters.Endpoint, tenant: String, connection: String
    ) async throws -> HTTPClientResponse {
        do {
            let response = try await send(exchange, endpoint)
            await services.cache.invalidate(tenant: tenant, connections: [connection])
            return response
        } catch {
            await services.cache.invalidate(tenant: tenant, connections: [connection])
            throw error
        }
    }

    /// The exchange with the adapter's credentials; on a `401`, once more with renewed ones where the
    /// adapter renews them (Geotareas' re-login) and the body can be sent again.
    private func send(_ exchange: NativeExchange, _ endpoint: ConnectionAdapters.Endpoint) async throws -> HTTPClientResponse {
        let credentials = try await endpoint.adapter.nativeCredentials()
        let response = try await endpoint.transport.forward(exchange.authorized(credentials))
        guard response.status.code == 401, exchange.body.kept != nil,
            let renewed = try await endpoint.adapter.renewedNativeCredentials(after: credentials)
        else { return response }
        // The refused answer is dropped unread, which closes its connection.
        return try await endpoint.transport.forward(exchange.authorized(renewed))
    }

    private static func digest(_ body: ByteBuffer) -> String {
        HexDigits.lowercase(SHA256.hash(data: Array(buffer: body)))
    }

    /// An upstream answer that is not a success, carried out of an idempotent run so its key is freed.
    private struct UpstreamAnswer: Error {
        let response: Response
    }
}

extension NativeExchange {
    /// The exchange asking for an uncompressed answer: one the gateway keeps (cache, idempotency)
    /// is replayed with its status, body and content type only, so its bytes must not need a
    /// `Content-Encoding` to be read.
    func identityEncoded() -> NativeExchange {
        var copy = self
        copy.call.headers = call.headers.filter { $0.name.lowercased() != "accept-encoding" } + [("Accept-Encoding", "identity")]
        return copy
    }

    /// The exchange with `credentials` added; a client header of the same name, if any got this far,
    /// gives way to the credential.
    func authorized(_ credentials: NativeCredentials) -> NativeExchange {
        var copy = self
        let names = Set(credentials.headers.map { $0.name.lowercased() })
        copy.call.headers = call.headers.filter { !names.contains($0.name.lowercased()) } + credentials.headers
        return copy
    }
}
