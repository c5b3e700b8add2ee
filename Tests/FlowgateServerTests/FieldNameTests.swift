import Testing

@testable import FlowgateServer

/// Caller-chosen names echoed in `details.field` stay short and printable whatever was sent.
struct FieldNameTests {
    @Test func dropsControlCharactersAndCutsAt64BytesOnAScalarBoundary() {
        #expect(FieldName.printable("input.amount") == "input.amount")
        #expect(FieldName.printable("a\r\nX-Injected: 1\u{2028}b") == "aX-Injected: 1b")
        let accents = FieldName.printable("a" + String(repeating: "\u{301}", count: 100_000))
        #expect(accents.utf8.count == 63, "1 + 31 two-byte marks; a 32nd would pass 64")
        #expect(FieldName.printable(String(repeating: "😀", count: 20)).utf8.count == 64)
    }
}
