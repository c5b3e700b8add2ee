import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import Logging
import NIOHTTP1

extension ClientStage {
    /// Sends a native call and returns once the answer's head is in, recorded like every upstream call
    /// (metrics `operation="native"`, one debug line without headers, bodies or query values).
    func open(_ exchange: NativeExchange, _ budget: CallBudget, logger: Logger) async throws(UpstreamClient.Failure) -> OpenedAnswer {
        let started = clock.now
        let remaining = budget.deadline - started
        guard remaining > .zero else { throw .timeout }
        do {
            let response = try await client.open(request(for: exchange), timeout: remaining, logger: logger)
            record(exchange.call, status: String(response.status.code), since: started, logger: logger)
            return OpenedAnswer(response: response)
        } catch {
            record(exchange.call, status: error.metricLabel, since: started, logger: logger)
            throw error
        }
    }

    /// The native call as an HTTP request: the base URL, the checked path, the query as the client
    /// wrote it, the client's end-to-end headers and then the adapter's credentials over them. No
    /// default `Accept` or `User-Agent` is added: the client's own go, or none.
    func request(for exchange: NativeExchange) -> HTTPClientRequest {
        var url = baseURL + exchange.call.path
        if let query = exchange.rawQuery { url += "?" + query }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: exchange.call.method)
        for header in exchange.call.headers { request.headers.add(name: header.name, value: header.value) }
        if let body = exchange.body.clientBody { request.body = body }
        return request
    }
}
