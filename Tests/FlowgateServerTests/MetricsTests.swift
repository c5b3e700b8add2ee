import HTTPTypes
import Hummingbird
import FlowgateServer
import HummingbirdTesting
import Testing

struct MetricsTests {
    @Test func countsAndTimesByRouteTemplateNeverByRawPath() async throws {
        let metrics = GatewayMetrics()
        try await TestGateway.app(metrics: metrics).test(.router) { client in
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadOnly)) { _ in }
            try await client.execute(uri: "/v1/connections", method: .get, headers: .bearer(TestKeys.acmeReadOnly)) { _ in }
            try await client.execute(uri: "/v1/instances/geo:secret-looking-id-123", method: .get, headers: .bearer(TestKeys.acmeReadOnly)) { _ in }
            try await client.execute(uri: "/random/path/42", method: .get) { _ in }
            try await client.execute(uri: "/v1/connections", method: .init("BREW")!) { _ in }

            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"flowgate_http_requests_total{route="/v1/connections",method="GET",status="200"} 2"#))
                // Not a Geotareas id (digits only): refused before any upstream call.
                #expect(text.contains(#"flowgate_http_requests_total{route="/v1/instances/{id}",method="GET",status="400"} 1"#))
                #expect(text.contains(#"flowgate_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
                #expect(text.contains(#"flowgate_http_requests_total{route="unmatched",method="other",status="405"} 1"#))
                #expect(text.contains(#"flowgate_http_request_duration_seconds_count{route="/v1/connections",method="GET",status="200"} 2"#))
                #expect(text.contains("# TYPE flowgate_http_request_duration_seconds histogram"))
                #expect(!text.contains("secret-looking-id"), "ids never become labels")
                #expect(!text.contains("/random/path"), "raw paths never become labels")
            }
        }
    }
}
