import FlowgateCore
import FlowgateProviders
import Logging
import Testing

@testable import FlowgateServer

/// The stages composed as every connection uses them: deadline → retry → bucket → breaker → client.
@Suite struct ConnectionTransportTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func transport(_ clock: ManualClock, _ http: RecordingHTTP, burst: Int = 5, rate: Double = 1) -> ConnectionTransport {
        let owner = StageFixtures.owner
        let metrics = GatewayMetrics()
        return ConnectionTransport(
            owner: owner,
            deadline: DeadlineStage(callTimeout: .seconds(10), clock: clock),
            retry: RetryStage(retries: 2, clock: clock, jitter: { 0 }),
            bucket: BucketStage(
                owner: owner, buckets: StageFixtures.buckets(["reads": .rate(.init(ratePerSecond: rate, burst: burst))]),
                store: MemoryRateLimitStore(now: { clock.date }), maxWait: .zero, clock: clock, metrics: metrics
            ),
            breaker: BreakerStage(
                owner: owner, store: MemoryBreakerStore(now: { clock.date }), settings: .init(failureThreshold: 5, cooldown: 10), metrics: metrics),
            client: ClientStage(owner: owner, baseURL: "http://127.0.0.1:1", client: http, maxAnswerBytes: 1024, clock: clock, metrics: metrics),
            fallbackLogger: logger
        )
    }

    @Test func everyRetriedAttemptDrawsItsOwnToken() async throws {
        let clock = ManualClock()
        let http = RecordingHTTP(statuses: [503, 200])
        let upstream = transport(clock, http, burst: 2, rate: 0.01)
        let task = Task { try await upstream.send(StageFixtures.read()) }
        try await clock.waitForSleepers()
        clock.advance(by: .milliseconds(50))
        #expect(try await task.value.status == 200)
        #expect(http.requests.count == 2)
        let error = await #expect(throws: GatewayError.self) { try await upstream.send(StageFixtures.read()) }
        #expect(error?.code == .rateLimited, "the burst of 2 went to the first call's two attempts")
    }

    @Test func aRequestWhoseDeadlineIsSpentCallsNothingAndIsA504() async throws {
        let clock = ManualClock()
        let http = RecordingHTTP()
        let upstream = transport(clock, http)
        let scope = RequestScope(logger: logger, deadline: RequestDeadline(startingAt: clock.now, timeout: .seconds(15)))
        clock.advance(by: .seconds(15))
        let error = await #expect(throws: GatewayError.self) {
            try await RequestScope.$current.withValue(scope) { try await upstream.send(StageFixtures.read()) }
        }
        #expect(error?.code == .upstreamTimeout)
        #expect(error?.message == "The request's 15 s budget ran out before geotareas answered")
        #expect(http.requests.isEmpty)
    }

    @Test func theClientGetsWhatIsLeftOfTheRequestNotAFreshCallBound() async throws {
        let clock = ManualClock()
        let http = RecordingHTTP()
        let upstream = transport(clock, http)
        let scope = RequestScope(logger: logger, deadline: RequestDeadline(startingAt: clock.now, timeout: .seconds(15)))
        try await RequestScope.$current.withValue(scope) {
            _ = try await upstream.send(StageFixtures.read())
            clock.advance(by: .seconds(12))
            _ = try await upstream.send(StageFixtures.read())
        }
        #expect(http.requests.map(\.timeout) == [.seconds(10), .seconds(3)])
    }
}
