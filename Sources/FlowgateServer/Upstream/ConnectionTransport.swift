import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Carries one connection's upstream calls through the pipeline of DESIGN §3: token bucket and
/// circuit breaker (``UpstreamGuard``), the HTTP call with a deadline on the whole answer, retries of
/// idempotent reads, metrics and a log line per call. Never logs headers, bodies or query values —
/// credentials travel in headers and filters may be personal data.
struct ConnectionTransport: UpstreamTransport {
    let connection: String
    let provider: ProviderKind
    let baseURL: String
    let client: UpstreamClient
    /// Budget of one `send`: waiting for a token, every attempt and the backoff between them.
    let timeout: Duration
    /// Largest JSON answer collected; file downloads stream instead.
    let maxAnswerBytes: Int
    let retries: Int
    let guardrails: UpstreamGuard
    let metrics: GatewayMetrics
    let fallbackLogger: Logger

    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        let logger = RequestScope.logger ?? fallbackLogger
        let upstreamRequest = try UpstreamRequestLimits.checked(request(for: call), connection: connection, provider: provider)
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        while true {
            let pass = try await guardrails.admit(call, deadline: deadline)
            let started = ContinuousClock.now
            do {
                let remaining = deadline - started
                guard remaining > .zero else { throw UpstreamClient.Failure.timeout }
                let answer = try await client.fetch(upstreamRequest, timeout: remaining, maxBodyBytes: maxAnswerBytes, logger: logger)
                record(call, status: String(answer.status), since: started, logger: logger)
                let reply = UpstreamReply(status: answer.status, headers: answer.headers.lowercasedNames, body: Array(buffer: answer.body))
                await guardrails.settle(pass, reply: reply)
                if call.isRead, [502, 503, 504].contains(reply.status), attempt < retries, let delay = backoff(attempt, deadline) {
                    attempt += 1
                    try await Task.sleep(for: delay)
                    continue
                }
                return reply
            } catch let failure as UpstreamClient.Failure {
                record(call, status: failureLabel(failure), since: started, logger: logger)
                await guardrails.settle(pass, failure: failure)
                if call.isRead, failure == .connect, attempt < retries, let delay = backoff(attempt, deadline) {
                    attempt += 1
                    try await Task.sleep(for: delay)
                    continue
                }
                throw canonical(failure)
            }
        }
    }

    /// Opens a call whose body the caller streams (file downloads): through the same bucket and
    /// breaker, never retried; the deadline covers the head, the client's read timeout each stall of the body.
    func open(_ call: UpstreamCall) async throws -> HTTPClientResponse {
        let logger = RequestScope.logger ?? fallbackLogger
        let upstreamRequest = try UpstreamRequestLimits.checked(request(for: call), connection: connection, provider: provider)
        let pass = try await guardrails.admit(call, deadline: .now + timeout)
        let started = ContinuousClock.now
        do {
            let response = try await client.open(upstreamRequest, timeout: timeout, logger: logger)
            record(call, status: String(response.status.code), since: started, logger: logger)
            await guardrails.settle(pass, reply: UpstreamReply(status: Int(response.status.code), headers: response.headers.lowercasedNames, body: []))
            return response
        } catch {
            record(call, status: failureLabel(error), since: started, logger: logger)
            await guardrails.settle(pass, failure: error)
            throw canonical(error)
        }
    }

    /// Exponential backoff with jitter (half fixed, half random, so retries of many callers spread out),
    /// or nil when the wait would not leave time for another attempt before `deadline`.
    private func backoff(_ attempt: Int, _ deadline: ContinuousClock.Instant) -> Duration? {
        let base = 0.1 * Double(1 << min(attempt, 6))
        let delay = Duration.seconds(base / 2 + Double.random(in: 0...(base / 2)))
        return ContinuousClock.now + delay + .milliseconds(50) < deadline ? delay : nil
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

    private func failureLabel(_ error: UpstreamClient.Failure) -> String {
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
