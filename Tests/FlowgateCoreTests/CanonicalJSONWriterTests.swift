import FlowgateCore
import Foundation
import Testing

/// The writer is the fast path of the models' `Encodable` conformances: byte for byte what
/// `JSONEncoder` writes with the canonical options, for every model with every field set and unset.
struct CanonicalJSONWriterTests {
    private func expectSameBytes(_ value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(value is any CanonicalJSONWritable, "not on the writer's path", sourceLocation: sourceLocation)
        let written = try CanonicalJSON.bytes(value)
        let reference = Array(try CanonicalJSON.encodeWithFoundation(value))
        #expect(
            String(decoding: written, as: UTF8.self) == String(decoding: reference, as: UTF8.self),
            sourceLocation: sourceLocation
        )
        #expect(written == reference, sourceLocation: sourceLocation)
    }

    /// Every escape, key order and number form that upstream-owned JSON can bring.
    private static let awkward: JSONValue = .object([
        "controls": .string(String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))),
        "unicode": .string("é😀\u{2028}\u{2029}\u{7F}/slash\\back\"quote"),
        "a\u{308}": .int(1), "b": .int(2), "B": .int(3), "_": .null, "\u{FF61}": .bool(true), "\u{1F600}": .bool(false),
        "aa": .int(Int64.min), "a1": .int(Int64.max),
        "doubles": .array(
            [1.0, 0.1, 1e20, 1e-7, 123456789012345678.0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 100.0, 1e16, 12.5, -3.25].map(
                JSONValue.double)),
        "nested": .array([.object([:]), .array([]), .object(["x": .array([.null, .string("")])])]),
    ])

    private static let date = Timestamp.parse("2026-03-15T13:00:00.117Z")
    private static let wholeSecond = Timestamp.parse("2026-03-15T13:00:00Z")

    private static let fullInstance = Instance(
        id: CanonicalID(connection: "cf", native: "order-fulfillment:order-10230"), provider: .cloudflare,
        definition: .init(id: "cf:order-fulfillment", name: "Order \"fulfillment\""), status: .running, providerStatus: "running",
        startedAt: date, updatedAt: wholeSecond, endedAt: date, startedBy: "ana\n", entity: .init(type: "deal", id: "42", label: "Deal 42"),
        currentStep: .init(id: "s1", name: "Ship"), pendingTasks: 3, raw: awkward
    )
    private static let bareInstance = Instance(
        id: CanonicalID(connection: "wf", native: "7"), provider: .workingflow, definition: .init(id: nil, name: nil), status: .unknown,
        providerStatus: nil
    )

    @Test func instances() throws {
        try expectSameBytes(Self.fullInstance)
        try expectSameBytes(Self.bareInstance)
        var entityWithoutLabel = Self.fullInstance
        entityWithoutLabel.entity = .init(type: "deal", id: "42")
        try expectSameBytes(entityWithoutLabel)
    }

    @Test func instanceDetails() throws {
        let full = InstanceDetail(
            instance: Self.fullInstance,
            tasks: [
                WorkflowTask(id: "t1", name: "Approve", status: .pending, assignee: "bo", createdAt: Self.date, completedAt: Self.wholeSecond),
                WorkflowTask(id: "t2", name: nil, status: .completed),
            ],
            variables: ["b": .int(1), "a": Self.awkward], output: Self.awkward, error: .init(code: "E1", message: "boom"),
            files: [
                FileRef(name: "a.pdf", originalName: "A.pdf", contentType: "application/pdf", size: 12, url: "/v1/x"),
                FileRef(name: "b", contentType: nil, size: nil, url: "/v1/y"),
            ]
        )
        try expectSameBytes(full)
        try expectSameBytes(InstanceDetail(instance: Self.bareInstance))
        try expectSameBytes(InstanceDetail(instance: Self.bareInstance, error: .init(code: nil, message: nil)))
    }

    @Test func definitions() throws {
        try expectSameBytes(
            Definition(
                id: CanonicalID(connection: "b24", native: "12"), provider: .bitrix24, name: "Deal", version: "3", description: "d",
                startable: true, entityType: "CRM_DEAL", status: "active", raw: Self.awkward
            )
        )
        try expectSameBytes(Definition(id: CanonicalID(connection: "geo", native: "1"), provider: .geotareas, name: nil, startable: false))
    }

    @Test func envelopesAndMetas() throws {
        let failure = ConnectionFailure(
            connection: "cf",
            error: GatewayError(
                .upstreamError, "Upstream failed", retryAfterSeconds: 3, connection: "cf", provider: .cloudflare,
                upstream: .init(status: 502, code: "x", message: "y"), details: [.init(field: "f", issue: "i"), .init(field: nil, issue: "j")]
            ).body(requestID: "r1")
        )
        let fanOut = FanOutMeta(partial: true, errors: [failure], skipped: [SkippedConnection(connection: "wf", reason: "NOT_SUPPORTED")])
        try expectSameBytes(
            Envelope(data: [Self.fullInstance, Self.bareInstance], meta: ListMeta(nextCursor: "v2.abc", limit: 10, fanOut: fanOut, bounded: ["geo"])))
        try expectSameBytes(Envelope(data: [Self.bareInstance], meta: ListMeta(nextCursor: nil, limit: 50, fanOut: FanOutMeta())))
        try expectSameBytes(Envelope(data: [Definition](), meta: fanOut))
        try expectSameBytes(Envelope(data: Self.fullInstance))
        try expectSameBytes(Envelope(data: EventAccepted(instanceID: Self.fullInstance.id, type: "approve")))
        try expectSameBytes(
            Envelope(data: [
                TimelineEvent(type: "started", at: Self.date, actor: "a", step: "s", details: ["k": .int(1)]), TimelineEvent(type: "x", at: nil),
            ]))
        try expectSameBytes(
            Envelope(
                data: InstanceData(
                    id: Self.fullInstance.id, input: ["a": Self.awkward], variables: [:], output: .null,
                    steps: [.init(step: .init(id: "s", name: nil), data: ["k": .string("v")])]
                )
            )
        )
        try expectSameBytes(Envelope(data: InstanceData(id: Self.bareInstance.id)))
    }

    @Test func errorEnvelopes() throws {
        try expectSameBytes(GatewayError.invalid("cursor", "is not a cursor").envelope(requestID: nil))
        try expectSameBytes(GatewayError(.rateLimited, "Slow down", retryAfterSeconds: 2).envelope(requestID: "abc"))
    }

    @Test func randomJSONValues() throws {
        var generator = TimestampTests.SplitMix(state: 18)
        for _ in 0..<300 {
            try expectSameBytes(Self.randomValue(depth: 0, &generator))
        }
    }

    @Test func doublesWithoutAJSONFormFailLikeJSONEncoder() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try CanonicalJSON.bytes(JSONValue.double(value)) }
            #expect(throws: EncodingError.self) { try CanonicalJSON.encodeWithFoundation(JSONValue.double(value)) }
        }
    }

    private static func randomValue(depth: Int, _ generator: inout TimestampTests.SplitMix) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int64.random(in: .min ... .max, using: &generator))
        case 3:
            let double =
                Bool.random(using: &generator)
                ? Double(bitPattern: UInt64.random(in: 0 ... .max, using: &generator))
                : Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 8
            return .double(double.isFinite ? double : 0.5)
        case 4: return .string(randomString(&generator))
        case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) { members[randomString(&generator)] = randomValue(depth: depth + 1, &generator) }
            return .object(members)
        }
    }

    private static func randomString(_ generator: inout TimestampTests.SplitMix) -> String {
        let alphabet: [Unicode.Scalar] = [
            "a", "b", "Z", "_", "\"", "\\", "/", "\n", "\u{1}", "\u{1F}", "\u{7F}", "é", "\u{308}", "\u{2028}", "😀", "\u{FF61}", " ",
        ]
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...8, using: &generator) { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
        return String(text)
    }
}

struct HexDigitsTests {
    @Test func everyByteAsFoundationFormatsIt() {
        let bytes = (0...255).map(UInt8.init)
        #expect(HexDigits.lowercase(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(HexDigits.lowercase([UInt8]()) == "")
    }
}
