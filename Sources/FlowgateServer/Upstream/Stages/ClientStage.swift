import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import Logging
import NIOCore
import NIOHTTP1

/// The last stage: one HTTP exchange with the upstream, given exactly what is left of the call's
/// budget as its deadline on the whole answer. Records each attempt in the upstream metrics and one
/// debug line — never headers, bodies or query values: credentials travel in headers, and filters may
/// be personal data.
struct ClientStage: Sendable {
    let owner: ConnectionLabels
    let baseURL: String
    let client: any UpstreamHTTP
    /// Largest JSON answer collected; file downloads stream instead.
    let maxAnswerBytes: Int
    let clock: any GatewayClock
    let metrics: GatewayMetrics

    /// Sends the call and collects the whole answer within the budget.
    func fetch(_ call: UpstreamCall, _ budget: CallBudget, logger: Logger) async throws(UpstreamClient.Failure) -> UpstreamReply {
        let started = clock.now
        let remaining = budget.deadline - started
        guard remaining > .zero else { throw .timeout }
        do {
            let answer = try await client.fetch(request(for: call), timeout: remaining, maxBodyBytes: maxAnswerBytes, logger: logger)
            record(call, status: String(answer.status), since: started, logger: logger)
            return UpstreamReply(status: answer.status, headers: answer.headers.lowercasedNames, body: Array(buffer: answer.body))
        } catch {
            record(call, status: error.metricLabel, since: started, logger: logger)
            throw error
        }
    }

    /// Sends the call and returns once the answer's head is in; the caller streams the body, each
    /// stall of which the client's read timeout bounds.
    func open(_ call: UpstreamCall, _ budget: CallBudget, logger: Logger) async throws(UpstreamClient.Failure) -> OpenedAnswer {
        let started = clock.now
        let remaining = budget.deadline - started
        guard remaining > .zero else { throw .timeout }
        do {
            let response = try await client.open(request(for: call), timeout: remaining, logger: logger)
            record(call, status: String(response.status.code), since: started, logger: logger)
            return OpenedAnswer(response: response)
        } catch {
            record(call, status: error.metricLabel, since: started, logger: logger)
            throw error
        }
    }

    /// The call as an HTTP request: the base URL, the filled path, the query percent-encoded, the
    /// adapter's headers (credentials included) over the gateway's defaults.
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

    func record(_ call: UpstreamCall, status: String, since started: ContinuousClock.Instant, logger: Logger) {
        let duration = clock.now - started
        metrics.recordUpstream(owner, operation: call.route, status: status, duration: duration)
        logger.debug(
            "upstream call",
            metadata: [
                "connection": "\(owner.connection)", "upstream_route": "\(call.route)", "method": "\(call.method)",
                "upstream_status": "\(status)", "duration_ms": "\(duration.nanoseconds / 1_000_000)",
            ]
        )
    }
}

/// The HTTP client as the client stage uses it: the process's ``UpstreamClient``, or a fake in tests.
protocol UpstreamHTTP: Sendable {
    func fetch(
        _ request: HTTPClientRequest, timeout: Duration, maxBodyBytes: Int, logger: Logger
    ) async throws(UpstreamClient.Failure)
        -> UpstreamClient.Answer
    func open(_ request: HTTPClientRequest, timeout: Duration, logger: Logger) async throws(UpstreamClient.Failure) -> HTTPClientResponse
}

extension UpstreamClient: UpstreamHTTP {}

extension UpstreamClient.Failure {
    /// The `status` label of a call that got no answer.
    var metricLabel: String {
        switch self {
        case .timeout: "timeout"
        case .connect: "connect_error"
        case .bodyTooLarge: "too_large"
        case .transport: "transport_error"
        }
    }
}
