import FlowgateCore
import Foundation

/// A validated canonical start, handed to an adapter.
public struct StartCommand: Sendable {
    /// The definition's native id on the adapter's connection.
    public var definition: String
    public var input: [String: JSONValue]
    public var entity: Instance.EntityRef?
    public var instanceID: String?

    public init(definition: String, input: [String: JSONValue], entity: Instance.EntityRef?, instanceID: String?) {
        self.definition = definition
        self.input = input
        self.entity = entity
        self.instanceID = instanceID
    }
}

/// A validated canonical cancel.
public struct CancelCommand: Sendable {
    public var reason: String?
    public var force: Bool

    public init(reason: String?, force: Bool) {
        self.reason = reason
        self.force = force
    }
}

/// Pause, resume and restart: the state changes only some providers offer.
public enum StateChange: String, Sendable {
    case pause, resume, restart

    public var operation: CanonicalOperation {
        switch self {
        case .pause: .pauseInstance
        case .resume: .resumeInstance
        case .restart: .restartInstance
        }
    }
}

/// The filters of `GET /v1/instances` an adapter must honour, pushed down where its upstream can and
/// applied locally where it cannot.
public struct InstanceFilter: Sendable, Hashable {
    public var statuses: Set<InstanceStatus>?
    /// Native definition id on this connection.
    public var definition: String?
    public var startedAfter: Date?
    public var startedBefore: Date?

    public init(statuses: Set<InstanceStatus>? = nil, definition: String? = nil, startedAfter: Date? = nil, startedBefore: Date? = nil) {
        self.statuses = statuses
        self.definition = definition
        self.startedAfter = startedAfter
        self.startedBefore = startedBefore
    }

    /// Whether an instance passes every filter (the local half of filtering).
    public func admits(_ instance: Instance) -> Bool {
        if let statuses, !statuses.contains(instance.status) { return false }
        if let startedAfter {
            guard let started = instance.startedAt, started >= startedAfter else { return false }
        }
        if let startedBefore {
            guard let started = instance.startedAt, started <= startedBefore else { return false }
        }
        return true
    }
}

/// One page request to one connection: where to continue, and how many items the merge can use.
public struct InstancePageRequest: Sendable {
    public var filter: InstanceFilter
    public var limit: Int
    /// The connection's position from the cursor, as this adapter wrote it; nil for the first page.
    public var position: JSONValue?
    public var includeRaw: Bool

    public init(filter: InstanceFilter, limit: Int, position: JSONValue?, includeRaw: Bool) {
        self.filter = filter
        self.limit = limit
        self.position = position
        self.includeRaw = includeRaw
    }
}

/// Up to `limit` instances of one connection, in the order the connection lists them (newest first
/// where the upstream can), each with the position that continues right after it.
///
/// The per-item positions are what lets a merged page take only some of a connection's items and
/// still page every item exactly once: the next cursor holds the position after the last one taken.
public struct InstancePage: Sendable {
    public struct Item: Sendable {
        public var instance: Instance
        /// Where this connection's list continues after this item; nil when nothing follows.
        public var after: JSONValue? { position() }
        /// Built only when asked: a merged page reads the position of the last item it takes from each
        /// connection, and building every item's (a small JSON object each) was work for nothing.
        private let position: @Sendable () -> JSONValue?

        public init(instance: Instance, after: @autoclosure @escaping @Sendable () -> JSONValue?) {
            self.instance = instance
            self.position = after
        }
    }

    public var items: [Item]
    /// Where the list continues after the last item (or after the upstream pages scanned when
    /// filtering left none); nil when the connection has no more.
    public var end: JSONValue?
    /// True when filtering the gateway applies itself stopped at the per-request bound of upstream
    /// pages before the page was full: the list goes on (at `end`), the answer says so in `meta`.
    public var bounded: Bool

    public init(items: [Item], end: JSONValue?, bounded: Bool = false) {
        self.items = items
        self.end = end
        self.bounded = bounded
    }
}
