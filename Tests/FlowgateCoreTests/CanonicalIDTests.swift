import FlowgateCore
import Testing

struct CanonicalIDTests {
    @Test func splitsOnTheFirstColonOnly() throws {
        let id = try CanonicalID.parse("cf-prod:order-flow:8f3a").get()
        #expect(id.connection == "cf-prod")
        #expect(id.native == "order-flow:8f3a")
        #expect(id.description == "cf-prod:order-flow:8f3a")
    }

    /// Found by scripts/fuzz-contract.sh: `t:` + U+1F3FB (an emoji modifier, which extends the
    /// grapheme before it) was refused as having no ':' because the split searched Characters.
    @Test(arguments: [
        ("t:\u{1F3FB}Y", "t", "\u{1F3FB}Y"), ("geo:\u{301}9", "geo", "\u{301}9"), ("cf:a\u{200D}:\u{FE0F}b", "cf", "a\u{200D}:\u{FE0F}b"),
        ("é:x", "é", "x"),
    ])
    func splitsOnTheColonScalarWhateverFollowsIt(text: String, connection: String, native: String) throws {
        let id = try CanonicalID.parse(text).get()
        #expect(id.connection == connection)
        #expect(id.native == native)
        #expect(id.description.utf8.elementsEqual(text.utf8))
    }

    @Test(arguments: [
        ("geo", CanonicalID.IDProblem.missingConnection),
        (":123", .missingConnection),
        ("geo:", .missingNativeID),
        ("geo:12\n3", .controlCharacter),
        ("geo:12\r\nX-Injected: 1", .controlCharacter),
        ("geo:\u{7F}", .controlCharacter),
        ("geo:a\u{2028}b", .controlCharacter),
    ])
    func refusesMalformedIDs(text: String, problem: CanonicalID.IDProblem) {
        #expect(throws: problem) { try CanonicalID.parse(text).get() }
    }

    @Test func boundsTheLength() throws {
        let longest = "geo:" + String(repeating: "9", count: CanonicalID.maxLength - 4)
        #expect(try CanonicalID.parse(longest).get().native.count == CanonicalID.maxLength - 4)
        #expect(throws: CanonicalID.IDProblem.tooLong(10_004)) {
            try CanonicalID.parse("geo:" + String(repeating: "9", count: 10_000)).get()
        }
    }

    /// The crash of issue 14: one `Character` of 26 004 bytes. Bytes are what is bounded.
    @Test(arguments: [13_000, 100_000])
    func countsBytesNotCharacters(marks: Int) {
        let text = "wf:a" + String(repeating: "\u{301}", count: marks)
        #expect(text.count == 4, "the id is four Characters")
        #expect(throws: CanonicalID.IDProblem.tooLong(4 + 2 * marks)) { try CanonicalID.parse(text).get() }
        #expect(CanonicalID.IDProblem.tooLong(26_004).description == "is 26004 bytes long (UTF-8); at most 512 bytes are allowed")
    }

    @Test func boundsMultiByteIDsInBytes() throws {
        // 704 two-byte scalars: 1 404 bytes, under 512 Characters.
        let long = "geo:" + String(repeating: "é", count: 700)
        #expect(throws: CanonicalID.IDProblem.tooLong(1_404)) { try CanonicalID.parse(long).get() }
        let fits = "geo:" + String(repeating: "é", count: 254)
        #expect(try CanonicalID.parse(fits).get().native.utf8.count == 508)
    }

    /// A `:` followed by a combining mark is one `Character`; the id still splits on its `:`.
    @Test func splitsOnTheColonByteEvenInsideAGraphemeCluster() throws {
        let id = try CanonicalID.parse("wf:\u{301}x").get()
        #expect(id.connection == "wf")
        #expect(id.native == "\u{301}x")
        let nested = try CanonicalID.parse("cf:flow:\u{301}1").get()
        #expect(nested.connection == "cf")
        #expect(nested.native == "flow:\u{301}1")
    }
}
