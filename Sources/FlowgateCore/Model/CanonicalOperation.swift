/// A canonical operation; a connection's capabilities are the operations its provider supports.
///
/// The raw values are also the route-table keys for per-operation settings (cache TTLs, buckets).
public enum CanonicalOperation: String, Sendable, Hashable, Codable, CaseIterable {
    case listDefinitions = "list_definitions"
    case listInstances = "list_instances"
    case getInstance = "get_instance"
    case startInstance = "start_instance"
    case cancelInstance = "cancel_instance"
    case pauseInstance = "pause_instance"
    case resumeInstance = "resume_instance"
    case restartInstance = "restart_instance"
    case sendEvent = "send_event"
    case getTimeline = "get_timeline"
    case getData = "get_data"
    case downloadFile = "download_file"

    /// Reads are safe to cache, coalesce and retry; everything else changes upstream state.
    public var isRead: Bool {
        switch self {
        case .listDefinitions, .listInstances, .getInstance, .getTimeline, .getData, .downloadFile: true
        case .startInstance, .cancelInstance, .pauseInstance, .resumeInstance, .restartInstance, .sendEvent: false
        }
    }
}
