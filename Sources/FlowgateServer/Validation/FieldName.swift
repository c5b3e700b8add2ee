import FlowgateCore

/// Names a caller chose (unknown body fields, query parameters, duplicate keys) as they are echoed
/// in `details.field`: control characters dropped, cut to at most 64 UTF-8 bytes on a scalar
/// boundary, so an echo can neither split a line nor grow with the input.
enum FieldName {
    static let maxBytes = 64

    static func printable(_ name: some StringProtocol) -> String {
        var result = String.UnicodeScalarView()
        var bytes = 0
        for scalar in name.unicodeScalars where !scalar.isControlOrLineBreak {
            bytes += UTF8.width(scalar)
            if bytes > maxBytes { break }
            result.append(scalar)
        }
        return String(result)
    }
}
