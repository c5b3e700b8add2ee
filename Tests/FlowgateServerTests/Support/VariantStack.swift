import FlowgateEmulators
import FlowgateServer
import Foundation

/// The four emulators with some switched to other answer shapes (docs/emulators.md, Variants); the
/// rest answer as standard. Bitrix24's portal limit is raised as in ``burstFriendlyEmulators()``.
func variantEmulators(
    bitrix24: [any EmulatorVariant] = [], workingflow: [any EmulatorVariant] = [], geotareas: [any EmulatorVariant] = [],
    cloudflare: [any EmulatorVariant] = [],
    bitrixLimits: Bitrix24Emulator.RateLimits = .init(requestsPerMinute: 10_000, portalRequestsPerSecond: 1_000)
) -> [any Emulator] {
    [
        Bitrix24Emulator(rateLimits: bitrixLimits, variants: bitrix24), WorkingflowEmulator(variants: workingflow),
        GeotareasEmulator(variants: geotareas), CloudflareEmulator(variants: cloudflare),
    ]
}

extension GatewayMetrics {
    /// The exposition's lines for one metric name, for assertions.
    func lines(of name: String) -> [String] {
        String(decoding: exposition(), as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.hasPrefix(name) }
    }
}
