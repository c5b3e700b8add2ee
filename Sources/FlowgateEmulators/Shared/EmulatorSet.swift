import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The four emulators together, each on its own loopback port: what `flowgate emulate` and
/// `flowgate demo` run, with the demo credentials of `Config/demo.yaml`.
public struct EmulatorSet: Sendable {
    /// Where each emulator listens unless told otherwise (the ports `Config/demo.yaml` points at).
    public static let defaultPorts: [String: Int] = ["bitrix24": 9101, "workingflow": 9102, "geotareas": 9103, "cloudflare": 9104]

    public let emulators: [any Emulator]

    /// `cloudflareUnlimited`: the Cloudflare emulator without its per-token limit, for load benchmarks.
    public init(now: @escaping @Sendable () -> Date = Date.init, cloudflareUnlimited: Bool = false) {
        self.emulators = [
            Bitrix24Emulator(now: now), WorkingflowEmulator(now: now), GeotareasEmulator(now: now),
            CloudflareEmulator(now: now, enforcesRateLimit: !cloudflareUnlimited),
        ]
    }

    /// Switches emulators to other answer shapes: `["workingflow": ["file_items": "fileName"]]`. All or
    /// none per emulator; an unknown emulator, switch or value is an error naming what exists.
    public func setVariants(_ values: [String: [String: String]]) throws(EmulatorVariants.Unknown) {
        for (name, switches) in values.sorted(by: { $0.key < $1.key }) {
            guard let emulator = emulators.first(where: { $0.name == name }) else {
                throw EmulatorVariants.Unknown(description: "no emulator '\(name)' (emulators: \(emulators.map(\.name).joined(separator: ", ")))")
            }
            try emulator.variants.set(switches)
        }
    }

    /// One application per emulator, on `ports[name]` (default ports otherwise).
    public func services(host: String = "127.0.0.1", ports: [String: Int] = [:], logger: Logger) -> [any Service] {
        emulators.map { emulator in
            let port = ports[emulator.name] ?? Self.defaultPorts[emulator.name] ?? 0
            var emulatorLogger = logger
            emulatorLogger[metadataKey: "emulator"] = .string(emulator.name)
            return emulator.makeApplication(host: host, port: port, logger: emulatorLogger)
        }
    }
}
