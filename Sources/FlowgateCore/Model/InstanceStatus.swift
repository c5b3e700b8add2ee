/// The canonical lifecycle of an instance.
///
/// Each provider maps its own words onto these word for word (docs/canonical-api.md#statuses); a word nobody has seen yet
/// maps to `unknown` rather than failing the request, and the original stays in `provider_status`.
public enum InstanceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case queued
    case running
    case waiting
    case paused
    case completed
    case failed
    case cancelled
    case unknown
}

extension InstanceStatus: CanonicalJSONWritable {}
