import FlowgateCore
import FlowgateProviders
import Foundation
import Testing

@Suite struct ProviderRoutesTests {
    let routes = ProviderRoutes(
        provider: .cloudflare,
        routes: [
            "get_instance": .init(method: "GET", path: "/accounts/{account_id}/workflows/{workflow}/instances/{id}", bucket: "default"),
            "start_instance": .init(method: "POST", path: "/accounts/{account_id}/workflows/{workflow}/instances", bucket: "default"),
        ],
        buckets: ["default": BucketSpec(.window(limit: 1, seconds: 1)), "portal": BucketSpec(.window(limit: 10, seconds: 1), keyedBy: .portal)]
    )

    @Test func fillsAndPercentEncodesEachPlaceholder() throws {
        let call = try routes.call("get_instance", ["account_id": "acc", "workflow": "order flow", "id": "a/b?c#d"])
        #expect(call.path == "/accounts/acc/workflows/order%20flow/instances/a%2Fb%3Fc%23d")
        #expect(call.isRead)
        #expect(try !routes.call("start_instance", ["account_id": "a", "workflow": "w"]).isRead)
    }

    /// `.` and `..` are refused before any call exists: encoded as `%2E%2E` they would still navigate
    /// through a proxy that decodes unreserved characters before removing dot segments.
    @Test(arguments: [["workflow": "..", "id": "1"], ["workflow": "w", "id": "."], ["workflow": ".", "id": ".."]])
    func dotSegmentsAreRefused(parameters: [String: String]) throws {
        let error = try #require(throws: GatewayError.self) {
            try routes.call("get_instance", parameters.merging(["account_id": "acc"]) { a, _ in a })
        }
        #expect(error.code == .invalidRequest)
    }

    @Test func namesWithDotsOrSlashesStayOneSegment() throws {
        let call = try routes.call("get_instance", ["account_id": "acc", "workflow": "...", "id": "a\\..\\b/../c"])
        #expect(call.path == "/accounts/acc/workflows/.../instances/a%5C..%5Cb%2F..%2Fc")
    }

    @Test(arguments: [(".", true), ("..", true), ("...", false), (".a", false), ("", false), ("%2E", false)])
    func dotSegment(text: String, isDot: Bool) {
        #expect(PathSegment.isDotSegment(text) == isDot)
    }

    @Test(arguments: [("wf:..", true), ("..:x", true), ("x:.", true), ("a..b:c", false), ("x", false), ("x::y", false)])
    func dotParts(native: String, has: Bool) {
        #expect(PathSegment.hasDotPart(native) == has)
    }

    @Test func aMissingRouteOrPlaceholderIsABugNotACrash() {
        #expect(throws: GatewayError.self) { try routes.call("nope") }
        #expect(throws: GatewayError.self) { try routes.call("get_instance", ["account_id": "a"]) }
    }

    @Test func problemsNameMissingRoutesWrongPlaceholdersAndUnknownBuckets() {
        var table = routes
        table.routes["list_instances"] = .init(method: "GET", path: "/x/{wrong}", bucket: "nope")
        table.routes["list_definitions"] = .init(method: "GET", path: "/x", buckets: ["default", "default"])
        table.routes["list_workflows"] = .init(method: "GET", path: "/x", buckets: [])
        let problems = table.problems(requiring: ["list_instances": ["workflow"], "send_event": []])
        #expect(problems.contains("routes.send_event: missing"))
        #expect(problems.contains { $0.hasPrefix("routes.list_instances.path") })
        #expect(problems.contains("routes.list_instances.bucket: 'nope' is not a bucket of this table"))
        #expect(problems.contains("routes.list_definitions.buckets: a bucket is named twice"))
        #expect(problems.contains("routes.list_workflows: names no bucket"))
    }

    @Test func aCallDrawsFromEveryBucketItsRouteNamesTheFirstBeingItsOwn() throws {
        var table = routes
        table.routes["list_instances"] = .init(method: "GET", path: "/v1/workflows", buckets: ["default", "portal"])
        let call = try table.call("list_instances")
        #expect(call.buckets == ["default", "portal"])
        #expect(call.bucket == "default")
    }
}

@Suite struct PercentEncodingTests {
    /// RFC 3986's unreserved characters stay; every other byte of the UTF-8 is `%XX`, as Foundation writes it.
    @Test func everyASCIICharacterAndSomeUnicodeAsFoundationEncodesThem() {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        var samples = (0..<0x80).compactMap(Unicode.Scalar.init).map { String(Character($0)) }
        samples += ["", "order-10230", "a b/c?d=e&f", "é", "😀", "\u{2028}", "100%", "ünïcödé name"]
        for sample in samples {
            #expect(PercentEncoding.encode(sample) == sample.addingPercentEncoding(withAllowedCharacters: unreserved), "\(sample.debugDescription)")
        }
    }
}

@Suite struct DotPartTests {
    /// The byte scan says what splitting at every `:` and asking each part would.
    @Test func agreesWithSplittingIntoParts() {
        let alphabet: [Character] = [":", ".", "a", "%"]
        var random = SplitMix(state: 18)
        for _ in 0..<5000 {
            let text = String((0..<Int.random(in: 0...7, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            let bySplitting = text.split(separator: ":", omittingEmptySubsequences: false).contains { PathSegment.isDotSegment($0) }
            #expect(PathSegment.hasDotPart(text) == bySplitting, "\(text.debugDescription)")
        }
        #expect(PathSegment.hasDotPart("wf:.."))
        #expect(PathSegment.hasDotPart("."))
        #expect(!PathSegment.hasDotPart("wf:...:a"))
        #expect(!PathSegment.hasDotPart(""))
    }
}
