/// Where tolerant reading reports an upstream value it could not use: a field of a shape no reader
/// accepts (a `files[]` item that is a number, a timestamp that is not one). The answer goes on
/// without that field or item; the report is how an operator learns the upstream changed.
///
/// `field` is a path written in code, without indexes (`files[].name`, `data[].DOCUMENT_TYPE`), and
/// `shape` a word from a fixed set (`number`, `object`, `missing`, `unparsable string`…): both are
/// bounded, so the server can use them as metric labels and log each combination once.
public struct ShapeDrift: Sendable {
    private let report: @Sendable (_ field: String, _ shape: String) -> Void

    public init(_ report: @escaping @Sendable (_ field: String, _ shape: String) -> Void) {
        self.report = report
    }

    /// Reports nothing: for tests and tools that do not watch drift.
    public static let unreported = ShapeDrift { _, _ in }

    public func callAsFunction(_ field: String, _ shape: String) {
        report(field, shape)
    }
}
