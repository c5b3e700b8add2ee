import FlowgateCore
import Foundation
import Testing

struct JSONDuplicateKeysTests {
    private func scan(_ text: String) -> JSONDuplicateKeys.Finding {
        JSONDuplicateKeys.scan(Array(text.utf8))
    }

    @Test(arguments: [
        (#"{"definition":"wf:a","definition":"cf:b"}"#, "definition"),
        (#"{"definition":"wf:a","input":{"amount":1,"amount":2}}"#, "input.amount"),
        (#"{"entity":{"type":"deal","id":"1","type":"lead"}}"#, "entity.type"),
        (#"{"input":{"items":[{"id":1},{"id":2,"id":3}]}}"#, "input.items[1].id"),
        (#"[{"a":1},{"a":1,"a":2}]"#, "[1].a"),
        (#"{"a":1,"\u0061":2}"#, "a"),
        (#"{"é":1,"e\u0301":2}"#, "é"),
        (#"{"x\"y":1,"x\u0022y":2}"#, "x\"y"),
        (#"{"😀":1,"\ud83d\ude00":2}"#, "😀"),
        ("{ \"a\" : 1 ,\n \"a\" : 2 }", "a"),
    ])
    func findsTheRepeatedKey(text: String, path: String) {
        #expect(scan(text) == .duplicate(path: path))
    }

    @Test(arguments: [
        #"{"a":1,"b":{"a":1},"c":[{"a":1},{"a":2}]}"#,
        #"{"a":"a","b":"a"}"#,
        #"{"a":"{\"a\":1,\"a\":2}"}"#,
        #"{"a":["a","a"]}"#,
        #"{"a\\":1,"a":2}"#,
        #"["a","a"]"#,
        "",
        "   ",
        "42",
    ])
    func acceptsDistinctKeys(text: String) {
        #expect(scan(text) == .none)
    }

    @Test func boundsNesting() {
        let deepest = String(repeating: "[", count: JSONDuplicateKeys.maxDepth) + String(repeating: "]", count: JSONDuplicateKeys.maxDepth)
        #expect(scan(deepest) == .none)
        #expect(scan("[" + deepest + "]") == .tooDeep)
        #expect(scan(String(repeating: "{\"a\":", count: 100_000)) == .tooDeep)
    }

    /// Random documents whose keys often repeat, written with random escaping: the scan finds exactly
    /// the first repeat in document order, as a walk of the document itself does.
    @Test func agreesWithAWalkOfRandomDocuments() {
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for _ in 0..<3_000 {
            let document = RandomJSON.value(depth: 0, using: &generator)
            let text = RandomJSON.write(document, using: &generator)
            let expected = RandomJSON.firstDuplicate(document, path: "").map { JSONDuplicateKeys.Finding.duplicate(path: $0) } ?? .none
            #expect(scan(text) == expected, "\(text)")
            if expected != .none { found += 1 }
        }
        #expect(found > 100, "the generator makes duplicates often enough to test them")
    }

    /// Bytes that are mostly not JSON: the scan must return, whatever it returns (a trap fails the run).
    @Test func returnsOnArbitraryBytes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]":,\u0061bé 1"#.utf8) + [0xFF, 0xC3, 0x00]
        var findings = 0
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...48, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            if JSONDuplicateKeys.scan(bytes) != .none { findings += 1 }
        }
        #expect(findings < 20_000)
    }
}

/// Small random JSON documents for ``JSONDuplicateKeysTests``.
private enum RandomJSON {
    indirect enum Value {
        case number
        case text(String)
        case array([Value])
        case object([(String, Value)])
    }

    static let keys = ["a", "b", "é", "e\u{301}", "x\"y", "😀"]

    static func value(depth: Int, using generator: inout some RandomNumberGenerator) -> Value {
        switch Int.random(in: 0..<(depth >= 3 ? 2 : 4), using: &generator) {
        case 0: return .number
        case 1: return .text(keys.randomElement(using: &generator) ?? "a")
        case 2: return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in value(depth: depth + 1, using: &generator) })
        default:
            return .object(
                (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    (keys.randomElement(using: &generator) ?? "a", value(depth: depth + 1, using: &generator))
                })
        }
    }

    static func write(_ value: Value, using generator: inout some RandomNumberGenerator) -> String {
        switch value {
        case .number: "1"
        case .text(let text): string(text, using: &generator)
        case .array(let items): "[" + items.map { write($0, using: &generator) }.joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { string($0.0, using: &generator) + ":" + write($0.1, using: &generator) }.joined(separator: ", ") + "}"
        }
    }

    /// `text` as a JSON string, each scalar either as it is or as `\u` escapes.
    static func string(_ text: String, using generator: inout some RandomNumberGenerator) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if Bool.random(using: &generator) || scalar == "\"" {
                for unit in String(scalar).utf16 { out += String(format: "\\u%04x", unit) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The path of the first key repeated within one object, in the order a reader meets it.
    static func firstDuplicate(_ value: Value, path: String) -> String? {
        switch value {
        case .number, .text: return nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstDuplicate(item, path: path + "[\(index)]") { return found }
            }
            return nil
        case .object(let members):
            var seen: Set<String> = []
            for (key, member) in members {
                let memberPath = path.isEmpty ? key : path + "." + key
                if !seen.insert(key).inserted { return memberPath }
                if let found = firstDuplicate(member, path: memberPath) { return found }
            }
            return nil
        }
    }
}
