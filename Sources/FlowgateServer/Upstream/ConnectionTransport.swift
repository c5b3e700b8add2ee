import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Carries one connection's upstream calls: base URL, deadline, answer size bound, failure
/// classification, metrics and a log line per call. Never logs headers, bodies or query values —
/// credentials travel in headers and filters may be personal data.
struct ConnectionTransport: UpstreamTransport {
    let connection: String
    let provider: ProviderKind
    let baseURL: String
    let client: UpstreamClient
    let timeout: Duration
    /// Largest JSON answer collected; file downloads stream instead.
    let maxAnswerBytes: Int
    let metrics: GatewayMetrics
    let fallbackLogger: Logger

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        let logger = RequestScope.logger ?? fallbackLogger
        let started = ContinuousClock.now
        do {
            let answer = try await client.fetch(request(for: call), timeout: timeout, maxBodyBytes: maxAnswerBytes, logger: logger)
            record(call, status: String(answer.status), since: started, logger: logger)
            var headers: [String: String] = [:]
            for header in answer.headers { headers[header.name.lowercased()] = header.value }
            return UpstreamReply(status: answer.status, headers: headers, body: Array(buffer: answer.body))
        } catch {
            record(call, status: failureLabel(error), since: started, logger: logger)
            throw canonical(error)
        }
    }

    /// Opens a call whose body the caller streams (file downloads): the deadline covers the head; the
    /// client's read timeout covers each stall of the body.
    func open(_ call: UpstreamCall) async throws -> HTTPClientResponse {
        let logger = RequestScope.logger ?? fallbackLogger
        let started = ContinuousClock.now
        do {
            let response = try await client.open(request(for: call), timeout: timeout, logger: logger)
            record(call, status: String(response.status.code), since: started, logger: logger)
            return response
        } catch {
            record(call, status: failureLabel(error), since: started, logger: logger)
            throw canonical(error)
        }
    }

    func request(for call: UpstreamCall) -> HTTPClientRequest {
        var url = baseURL + call.path
        if !call.query.isEmpty {
            url += "?" + call.query.map { "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))" }.joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: call.method)
        request.headers.add(name: "User-Agent", value: "flowgate/1")
        request.headers.add(name: "Accept", value: "application/json")
        for header in call.headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        if let body = call.body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    private func canonical(_ error: any Error) -> GatewayError {
        let seconds = Int(timeout.components.seconds)
        switch error {
        case UpstreamClient.Failure.timeout:
            return GatewayError(.upstreamTimeout, "\(provider.rawValue) did not answer within \(seconds) s", connection: connection, provider: provider)
        case UpstreamClient.Failure.connect:
            return GatewayError(.upstreamUnavailable, "\(provider.rawValue) could not be reached", connection: connection, provider: provider)
        case UpstreamClient.Failure.bodyTooLarge:
            return GatewayError(.upstreamError, "\(provider.rawValue) answered more than \(maxAnswerBytes) bytes", connection: connection, provider: provider)
        default:
            return GatewayError(.upstreamError, "The connection to \(provider.rawValue) broke before a complete answer", connection: connection, provider: provider)
        }
    }

    private func failureLabel(_ error: any Error) -> String {
        switch error {
        case UpstreamClient.Failure.timeout: "timeout"
        case UpstreamClient.Failure.connect: "connect_error"
        case UpstreamClient.Failure.bodyTooLarge: "too_large"
        default: "transport_error"
        }
    }

    private func record(_ call: UpstreamCall, status: String, since started: ContinuousClock.Instant, logger: Logger) {
        let duration = ContinuousClock.now - started
        metrics.recordUpstream(connection: connection, provider: provider.rawValue, operation: call.route, status: status, duration: duration)
        logger.debug(
            "upstream call",
            metadata: [
                "connection": "\(connection)", "upstream_route": "\(call.route)", "method": "\(call.method)",
                "upstream_status": "\(status)", "duration_ms": "\(duration.nanoseconds / 1_000_000)",
            ]
        )
    }
}
