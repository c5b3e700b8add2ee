import Foundation

/// Lets `${env:…}` references stand unquoted anywhere, as docs/canonical-api.md#config writes them
/// (`credentials: {api_key: ${env:KEY}}`), although `{` and `}` end a YAML flow mapping.
///
/// Before parsing, each reference is swapped for a plain token; values are swapped back before the
/// references are expanded. Tokens are one line, so line numbers in problems stay true.
struct ReferenceShield {
    private(set) var references: [String] = []

    /// The text with references replaced by tokens.
    mutating func shield(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(where: { $0 == "}" || $0 == "\n" }), rest[end] == "}" else { break }
            result += rest[..<start.lowerBound]
            result += Self.token(references.count)
            references.append(String(rest[start.lowerBound...end]))
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// A parsed value with its original references put back.
    func restore(_ value: String) -> String {
        guard value.contains(Self.marker) else { return value }
        var value = value
        for (index, reference) in references.enumerated().reversed() {
            value = value.replacingOccurrences(of: Self.token(index), with: reference)
        }
        return value
    }

    private static let marker = "FLOWGATEREF"
    private static func token(_ index: Int) -> String { "\(marker)\(index)X" }
}
