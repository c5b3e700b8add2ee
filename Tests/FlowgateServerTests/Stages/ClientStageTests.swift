import FlowgateCore
import FlowgateProviders
import Logging
import Testing

@testable import FlowgateServer

@Suite struct ClientStageTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func stage(_ clock: ManualClock, _ http: RecordingHTTP, metrics: GatewayMetrics = GatewayMetrics()) -> ClientStage {
        ClientStage(owner: StageFixtures.owner, baseURL: "http://127.0.0.1:1", client: http, maxAnswerBytes: 1024, clock: clock, metrics: metrics)
    }

    @Test func theClientIsGivenExactlyWhatIsLeftOfTheBudget() async throws {
        let clock = ManualClock()
        let http = RecordingHTTP()
        let metrics = GatewayMetrics()
        let budget = StageFixtures.budget(clock, .seconds(10))
        clock.advance(by: .milliseconds(6500))
        var call = StageFixtures.read()
        call.addQuery("status", "RUNNING")
        let reply = try await stage(clock, http, metrics: metrics).fetch(call, budget, logger: logger)
        #expect(reply.status == 200)
        #expect(http.requests.map(\.timeout) == [.milliseconds(3500)])
        #expect(http.requests.first?.url == "http://127.0.0.1:1/apidev/v1/workflow/instances/1?status=RUNNING")
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let series = #"flowgate_upstream_requests_total{tenant="acme",connection="geo",provider="geotareas",operation="get_instance",status="200"} 1"#
        #expect(text.contains(series))
    }

    @Test func aSpentBudgetSendsNothing() async throws {
        let clock = ManualClock()
        let http = RecordingHTTP()
        let budget = StageFixtures.budget(clock, .seconds(1))
        clock.advance(by: .seconds(1))
        await #expect(throws: UpstreamClient.Failure.timeout) { try await stage(clock, http).fetch(StageFixtures.read(), budget, logger: logger) }
        await #expect(throws: UpstreamClient.Failure.timeout) { try await stage(clock, http).open(StageFixtures.read(), budget, logger: logger) }
        #expect(http.requests.isEmpty)
    }
}
