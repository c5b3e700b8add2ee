import FlowgateCore
import Testing

struct InputBoundsTests {
    @Test func issuesCountBytes() {
        #expect(InputBounds.issue("", InputBounds.fileName) == "is empty")
        #expect(InputBounds.issue(String(repeating: "a", count: 255), InputBounds.fileName) == nil)
        #expect(
            InputBounds.issue(String(repeating: "a", count: 256), InputBounds.fileName) == "is 256 bytes long (UTF-8); at most 255 bytes are allowed")
        // One Character, 120 001 bytes.
        let reason = "a" + String(repeating: "\u{301}", count: 60_000)
        #expect(InputBounds.issue(reason, InputBounds.cancelReason) == "is 120001 bytes long (UTF-8); at most 500 bytes are allowed")
        #expect(InputBounds.issue("", InputBounds.cancelReason) == nil, "an empty reason is a reason")
        // 128 four-byte scalars are 512 bytes; one more is over.
        #expect(InputBounds.issue(String(repeating: "😀", count: 128), InputBounds.entityID) == nil)
        #expect(InputBounds.issue(String(repeating: "😀", count: 129), InputBounds.entityID) != nil)
    }

    @Test(arguments: [
        ("b24", true), ("cf-prod", true), ("a_b", true), ("0x", true), ("", false), ("-a", false), ("_a", false), ("Geo", false),
        ("géo", false), ("a b", false), (String(repeating: "a", count: 63), true), (String(repeating: "a", count: 64), false),
    ])
    func connectionNames(text: String, valid: Bool) {
        #expect(InputBounds.isConnectionName(text) == valid)
    }

    @Test(arguments: [
        ("order-1", true), ("_x", true), ("A9_-", true), ("-x", false), ("", false), ("has space", false), ("ü", false),
        (String(repeating: "a", count: 100), true), (String(repeating: "a", count: 101), false), ("a\u{301}", false),
    ])
    func instanceIDs(text: String, valid: Bool) {
        #expect(InputBounds.isInstanceID(text) == valid)
    }
}
