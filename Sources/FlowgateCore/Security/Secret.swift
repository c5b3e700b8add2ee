/// A credential or other secret read from config. It prints as `***` wherever it is interpolated,
/// dumped or reflected, so it cannot reach a log line or an error message by accident.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself: read it only to put it on the wire.
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
