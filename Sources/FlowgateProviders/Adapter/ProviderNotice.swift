/// Where an adapter tells the operator something it learned about its upstream, once: which of two
/// candidate paths the upstream answered on, for instance. The server logs it at info level.
public struct ProviderNotice: Sendable {
    private let report: @Sendable (_ message: String) -> Void

    public init(_ report: @escaping @Sendable (_ message: String) -> Void) {
        self.report = report
    }

    /// Tells no one: for tests and tools.
    public static let unreported = ProviderNotice { _ in }

    public func callAsFunction(_ message: String) {
        report(message)
    }
}
