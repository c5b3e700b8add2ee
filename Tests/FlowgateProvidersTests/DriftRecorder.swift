import FlowgateCore
import FlowgateProviders
import Foundation
import Synchronization

/// Collects what tolerant reading reports, for tests that check what was dropped and what was not.
final class DriftRecorder: Sendable {
    private let entries = Mutex<[String]>([])

    /// `field: shape`, in report order.
    var reports: [String] { entries.withLock { $0 } }

    var reporter: ShapeDrift {
        ShapeDrift { [self] field, shape in entries.withLock { $0.append("\(field): \(shape)") } }
    }

    /// A connection of `kind` whose drift lands here.
    func connection(_ kind: ProviderKind, name: String = "c", zone: TimeZone = .gmt) -> ProviderConnection {
        ProviderConnection(
            name: name, kind: kind, credentials: ["api_key": Secret("secret_key_123")], timezone: zone,
            routes: ProviderRoutes(provider: kind, routes: [:], buckets: [:]), shapeDrift: reporter
        )
    }
}

func json(_ text: String) -> JSONValue {
    UpstreamJSON.parse(Array(text.utf8)) ?? .null
}
