import FlowgateCore
import FlowgateProviders
import Foundation
import Testing

@Suite struct RateLimitFeedbackTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func reply(_ status: Int, _ headers: [String: String] = [:], body: String = "") -> UpstreamReply {
        UpstreamReply(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func a429SaysHowLongInItsOwnWay() {
        #expect(RateLimitFeedback.blockedUntil(reply(429, ["retry-after": "7"]), provider: .geotareas, now: now) == now + 7)
        let bitrix = reply(429, body: #"{"success":false,"error":{"code":"RATE_LIMITED","message":"m","retryAfter":2}}"#)
        #expect(RateLimitFeedback.blockedUntil(bitrix, provider: .bitrix24, now: now) == now + 2)
        let reset = reply(429, ["x-ratelimit-reset": "\(Int(now.timeIntervalSince1970) + 40)"])
        #expect(RateLimitFeedback.blockedUntil(reset, provider: .geotareas, now: now) == now + 40)
        #expect(RateLimitFeedback.blockedUntil(reply(429, ["ratelimit": #""default";r=0;t=120"#]), provider: .cloudflare, now: now) == now + 120)
        #expect(RateLimitFeedback.blockedUntil(reply(429), provider: .cloudflare, now: now) == now + 300, "Cloudflare's documented block")
    }

    @Test func aSpentBudgetDrainsBeforeAnyRefusal() {
        let geo = reply(200, ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "\(Int(now.timeIntervalSince1970) + 25)"])
        #expect(RateLimitFeedback.blockedUntil(geo, provider: .geotareas, now: now) == now + 25)
        #expect(RateLimitFeedback.blockedUntil(reply(200, ["ratelimit": #""default";r=0;t=30"#]), provider: .cloudflare, now: now) == now + 30)
        #expect(RateLimitFeedback.blockedUntil(reply(200, ["x-ratelimit-remaining": "3"]), provider: .geotareas, now: now) == nil)
        #expect(RateLimitFeedback.blockedUntil(reply(200, ["ratelimit": #""default";r=12;t=30"#]), provider: .cloudflare, now: now) == nil)
    }

    /// `X-RateLimit-Reset` is a Unix time above 10^9 and a delay in seconds at or below it.
    @Test(arguments: [(429, "x-ratelimit-reset"), (200, "x-ratelimit-reset")])
    func resetReadsAsEpochOrDelta(status: Int, header: String) {
        var epoch = ["x-ratelimit-reset": "\(Int(now.timeIntervalSince1970) + 42)"]
        var delta = ["x-ratelimit-reset": "42"]
        if status == 200 {
            epoch["x-ratelimit-remaining"] = "0"
            delta["x-ratelimit-remaining"] = "0"
        }
        #expect(RateLimitFeedback.blockedUntil(reply(status, epoch), provider: .geotareas, now: now) == now + 42)
        #expect(RateLimitFeedback.blockedUntil(reply(status, delta), provider: .geotareas, now: now) == now + 42)
        #expect(
            RateLimitFeedback.blockedUntil(reply(status, ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"]), provider: .geotareas, now: now)
                == now)
        let past = ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "\(Int(now.timeIntervalSince1970) - 5)"]
        #expect(RateLimitFeedback.blockedUntil(reply(status, past), provider: .geotareas, now: now) == now, "a reset already past blocks nothing")
    }

    /// Header values that are not finite numbers of seconds are ignored, never trusted (nor a crash).
    @Test func nonsenseHeadersAreBounded() {
        for value in ["inf", "nan", "-inf", "1e400"] {
            #expect(RateLimitFeedback.retryAfterSeconds(reply(429, ["retry-after": value]), provider: .geotareas, now: now) == 60)
            #expect(
                RateLimitFeedback.blockedUntil(
                    reply(200, ["x-ratelimit-remaining": "0", "x-ratelimit-reset": value]), provider: .geotareas, now: now) == nil)
        }
        #expect(RateLimitFeedback.retryAfterSeconds(reply(429, ["retry-after": "99999999999"]), provider: .geotareas, now: now) == 86_400)
        #expect(RateLimitFeedback.retryAfterSeconds(reply(429, ["ratelimit": #""default";r=0;t=inf"#]), provider: .cloudflare, now: now) == 300)
    }
}

@Suite struct UpstreamBudgetTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func reply(_ headers: [String: String]) -> UpstreamReply {
        UpstreamReply(status: 200, headers: headers, body: [])
    }

    @Test func remainingAndResetAreReadFromEitherHeaderStyle() {
        let geo = reply(["x-ratelimit-remaining": "12", "x-ratelimit-reset": "\(Int(now.timeIntervalSince1970) + 40)"])
        #expect(RateLimitFeedback.budget(geo, now: now) == UpstreamBudget(remaining: 12, resetIn: 40))
        let cloudflare = reply(["ratelimit": #""default";r=3;t=120"#])
        #expect(RateLimitFeedback.budget(cloudflare, now: now) == UpstreamBudget(remaining: 3, resetIn: 120))
    }

    @Test func aCountWithoutItsResetOrGarbageSaysNothing() {
        #expect(RateLimitFeedback.budget(reply(["x-ratelimit-remaining": "3"]), now: now) == nil)
        #expect(RateLimitFeedback.budget(reply(["ratelimit": #""default";r=x;t=1"#]), now: now) == nil)
        #expect(RateLimitFeedback.budget(reply(["ratelimit": "garbage"]), now: now) == nil)
        #expect(RateLimitFeedback.budget(reply([:]), now: now) == nil)
        let negative = reply(["x-ratelimit-remaining": "-4", "x-ratelimit-reset": "\(Int(now.timeIntervalSince1970) + 1)"])
        #expect(RateLimitFeedback.budget(negative, now: now)?.remaining == 0)
    }
}
