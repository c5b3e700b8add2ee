import Foundation

/// `Config/demo.yaml`, shipped inside the binary's resource bundle: `flowgate demo` and `flowgate serve`
/// without `--config` use it, so they work from any directory, not only from a checkout's root.
public enum DemoConfig {
    /// Where the text comes from, for messages.
    public static let name = "the embedded demo config (Config/demo.yaml)"

    /// The text of `Config/demo.yaml` as built into this binary.
    public static func yaml() throws -> String {
        guard let url = Bundle.module.url(forResource: "demo", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
