import Foundation

/// One input: one binary for every parser, the target chosen by `FLOWGATE_FUZZ_TARGET` (scripts/fuzz.sh
/// sets it), so one instrumented link serves them all.
///
/// A target returns normally for every input the parser handles, accepting or refusing it; a broken
/// invariant is a `fatalError` naming it, which libFuzzer reports as a crash and saves the input for.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    FuzzTarget.selected.run(bytes)
    return 0
}

enum FuzzTarget: String, CaseIterable {
    case canonicalID = "canonical-id"
    case cursor
    case query
    case body
    case timestamp
    case config

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["FLOWGATE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("FLOWGATE_FUZZ_TARGET must be one of: \(known)\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .canonicalID: CanonicalIDFuzz.run(bytes)
        case .cursor: CursorFuzz.run(bytes)
        case .query: QueryFuzz.run(bytes)
        case .body: BodyFuzz.run(bytes)
        case .timestamp: TimestampFuzz.run(bytes)
        case .config: ConfigFuzz.run(bytes)
        }
    }
}

/// Invariants every caller-supplied text that the gateway keeps must hold (docs/hostile-input.md: lengths in bytes).
enum Invariant {
    static func require(_ condition: @autoclosure () -> Bool, _ what: @autoclosure () -> String) {
        if !condition() { fatalError("invariant broken: \(what())") }
    }

    static func boundedText(_ text: String, maxBytes: Int, _ field: String, allowEmpty: Bool = false) {
        require(allowEmpty || !text.isEmpty, "\(field) is empty")
        require(text.utf8.count <= maxBytes, "\(field) is \(text.utf8.count) bytes, over \(maxBytes)")
    }
}
