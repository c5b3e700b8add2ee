import FlowgateCore
import Foundation
import Testing

/// `JSONValue.parse` reads what `JSONDecoder` read, in time that follows the size of the text rather than
/// the square of its nesting.
@Suite struct JSONValueParseTests {
    static func parse(_ text: String) -> JSONValue? { JSONValue.parse(Data(text.utf8)) }

    @Test func everyKindOfValueKeepsItsType() throws {
        let value = try #require(
            Self.parse(
                #"{"t":true,"f":false,"z":0,"one":1,"id":591847302948571634,"neg":-42,"pi":3.25,"s":"a\"b\u00e9","n":null,"a":[1,"x",[]],"o":{}}"#))
        #expect(
            value
                == .object([
                    "t": .bool(true), "f": .bool(false), "z": .int(0), "one": .int(1), "id": .int(591_847_302_948_571_634), "neg": .int(-42),
                    "pi": .double(3.25), "s": .string("a\"bé"), "n": .null, "a": .array([.int(1), .string("x"), .array([])]), "o": .object([:]),
                ])
        )
        #expect(Self.parse("true") == .bool(true), "fragments are values too")
        #expect(Self.parse("1") == .int(1))
        #expect(Self.parse(#""x""#) == .string("x"))
        #expect(Self.parse("9223372036854775807") == .int(Int64.max))
        #expect(Self.parse("-9223372036854775808") == .int(Int64.min), "Foundation reads this one as a decimal")
        #expect(Self.parse("-9223372036854775807") == .int(Int64.min + 1))
        #expect(Self.parse("-4611686018427387904") == .int(-4_611_686_018_427_387_904))
        #expect(Self.parse("18446744073709551615") == .double(1.844_674_407_370_955_2e19), "beyond 64 bits: the nearest double")
        #expect(Self.parse("-1.5") == .double(-1.5))
    }

    @Test func notJSONIsNil() {
        for text in ["", "{", "{\"a\":}", "nul", "{'a':1}", "\u{1}", "[1 2]"] {
            #expect(Self.parse(text) == nil, "\(text)")
        }
        #expect(JSONValue.parse(Data([0x22, 0xFF, 0x22])) == nil, "not UTF-8")
    }

    /// Random documents: the new reader and `JSONDecoder` agree on every one (doubles written with a
    /// fraction so that both read them as doubles).
    @Test func agreesWithJSONDecoderOnRandomDocuments() throws {
        var generator = SystemRandomNumberGenerator()
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .int(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator))
            case 3: return .double(Double(Int.random(in: -10_000...10_000, using: &generator)) + 0.5)
            case 4:
                return .string(
                    String((0..<Int.random(in: 0...8, using: &generator)).map { _ in "aé\"\\\n€😀".randomElement(using: &generator) ?? "a" }))
            case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth + 1) })
            default:
                return .object(
                    Dictionary((0..<Int.random(in: 0...4, using: &generator)).map { ("k\($0)", random(depth + 1)) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        for _ in 0..<300 {
            let document = random(0)
            let data = try CanonicalJSON.encode(document)
            #expect(JSONValue.parse(data) == (try JSONDecoder().decode(JSONValue.self, from: data)))
        }
    }

    @Test func deepNestingWithinTheBodyLimitIsRead() throws {
        let chain = String(repeating: "[", count: 96) + String(repeating: "]", count: 96)
        let text = "[" + Array(repeating: chain, count: 2000).joined(separator: ",") + "]"
        let value = try #require(Self.parse(text))
        guard case .array(let items) = value else { Issue.record("not an array"); return }
        #expect(items.count == 2000)
    }
}

/// What `JSONSerialization` would take but JSON is not: refused before parsing.
@Suite struct JSONTrailingCommaTests {
    @Test func aCommaBeforeAClosingBracketIsRefused() {
        for text in [#"[1,]"#, #"{"a":1,}"#, #"{"a":[1, 2 ,  ]}"#, "[1,\n]"] {
            #expect(JSONDuplicateKeys.scan(Array(text.utf8)) == .trailingComma, "\(text)")
        }
        for text in [#"[1]"#, #"{"a":"x,]"}"#, #"{"a":1,"b":[]}"#, #"[[],{}]"#] {
            #expect(JSONDuplicateKeys.scan(Array(text.utf8)) == .none, "\(text)")
        }
    }
}
