import FlowgateServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

struct MetricsTests {
    @Test func processStartTimeIsExposedSoARestartShows() throws {
        let metrics = GatewayMetrics()
        metrics.recordProcessStart(at: Date(timeIntervalSince1970: 1_796_400_000.5))
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains("# TYPE flowgate_process_start_time_seconds gauge"))
        #expect(text.contains("flowgate_process_start_time_seconds 1796400000.5"))
    }

    @Test func countsAndTimesByRouteTemplateNeverByRawPath() async throws {
        let metrics = GatewayMetrics()
        try await TestGateway.app(metrics: metrics).test(.router) { client in
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadOnly)) { _ in }
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadOnly)) { _ in }
            try await client.execute(uri: "/v1/instances/geo:987654321012345678", method: .get, headers: .bearer(TestKeys.acmeReadOnly)) { _ in }
            try await client.execute(uri: "/random/path/42", method: .get) { _ in }
            try await client.execute(uri: "/v1/connections", method: .init("BREW")!) { _ in }

            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"flowgate_http_requests_total{route="/v1/connections",method="GET",status="200"} 2"#))
                #expect(text.contains(#"flowgate_http_requests_total{route="/v1/instances/{id}",method="GET",status="503"} 1"#))
                let upstream =
                    #"flowgate_upstream_requests_total{tenant="acme",connection="geo",provider="geotareas",operation="login",status="connect_error"} 1"#
                #expect(text.contains(upstream), "the failed upstream call is counted by connection, route and outcome")
                #expect(text.contains(#"flowgate_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
                #expect(text.contains(#"flowgate_http_requests_total{route="unmatched",method="other",status="405"} 1"#))
                #expect(text.contains(#"flowgate_http_request_duration_seconds_count{route="/v1/connections",method="GET",status="200"} 2"#))
                #expect(text.contains("# TYPE flowgate_http_request_duration_seconds histogram"))
                #expect(!text.contains("987654321012345678"), "ids never become labels")
                #expect(!text.contains("/random/path"), "raw paths never become labels")
            }
        }
    }
}
