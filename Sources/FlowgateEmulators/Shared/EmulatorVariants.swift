import Synchronization

/// One point where an upstream's documentation leaves the shape of an answer open, and the plausible
/// shapes an emulator can answer in there: Workingflow's `files[]` items, Bitrix24's template keys, how
/// Cloudflare pages a list… Each emulator answers in its `standard` shape unless switched, so the
/// gateway's tests can run an adapter against every shape and an adapter cannot pass only because it
/// and the emulator share a guess.
public protocol EmulatorVariant: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// The switch's name: `file_items`, `template_keys`, `listing`…
    static var key: String { get }
    /// The shape answered unless switched.
    static var standard: Self { get }
}

/// An emulator's switches and where each stands: set at construction (`variants:`), over HTTP
/// (`POST /_emulator/variant`), or from `flowgate emulate --variant <emulator>.<switch>=<value>`.
public final class EmulatorVariants: Sendable {
    /// A switch that does not exist, or a value it does not have.
    public struct Unknown: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) {
            self.description = description
        }
    }

    /// Every switch and its values, the standard one first.
    public let options: [String: [String]]
    private let standard: [String: String]
    private let chosen: Mutex<[String: String]>

    public init(_ kinds: [any EmulatorVariant.Type], chosen: [any EmulatorVariant] = []) {
        var options: [String: [String]] = [:]
        var standard: [String: String] = [:]
        for kind in kinds {
            let (key, values, value) = Self.describe(kind)
            options[key] = values
            standard[key] = value
        }
        self.options = options
        self.standard = standard
        var current = standard
        for variant in chosen { current[Self.key(of: variant)] = variant.rawValue }
        self.chosen = Mutex(current)
    }

    /// Where switch `V` stands now.
    public func callAsFunction<V: EmulatorVariant>(_ kind: V.Type) -> V {
        chosen.withLock { $0[V.key] }.flatMap(V.init(rawValue:)) ?? V.standard
    }

    /// Every switch's current value.
    public var current: [String: String] { chosen.withLock { $0 } }

    /// Sets several switches at once; all or none (an unknown switch or value changes nothing).
    public func set(_ values: [String: String]) throws(Unknown) {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let allowed = options[key] else {
                throw Unknown(description: "no switch '\(key)' (switches: \(options.keys.sorted().joined(separator: ", ")))")
            }
            guard allowed.contains(value) else {
                throw Unknown(description: "switch '\(key)' has no value '\(value)' (values: \(allowed.joined(separator: ", ")))")
            }
        }
        chosen.withLock { $0.merge(values) { _, new in new } }
    }

    /// Every switch back to its standard shape.
    public func reset() {
        chosen.withLock { $0 = standard }
    }

    private static func describe<V: EmulatorVariant>(_ kind: V.Type) -> (String, [String], String) {
        let values = [V.standard.rawValue] + V.allCases.map(\.rawValue).filter { $0 != V.standard.rawValue }
        return (V.key, values, V.standard.rawValue)
    }

    private static func key<V: EmulatorVariant>(of variant: V) -> String { V.key }
}
