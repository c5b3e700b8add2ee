import FlowgateCore
import Foundation

/// Cloudflare's JSON → the canonical model (docs/providers.md). Strict: a workflow's `name` (the
/// definition id), an instance's `id` and `status`; everything else is read tolerantly.
///
/// `started_at` is when the instance was created (`created_on` in lists, `queued` in the detail), not
/// when it left the queue: it is what the upstream lists are ordered by and what `date_start`/`date_end`
/// filter on, so newest-first merging and date filters stay exact. The moment it began running is in
/// the timeline (`started`) and in `raw`.
struct CloudflareMapping: Sendable {
    let connection: ProviderConnection
    let json: UpstreamJSON

    init(_ connection: ProviderConnection) {
        self.connection = connection
        self.json = UpstreamJSON(connection)
    }

    func definitionRef(_ workflow: String) -> Instance.DefinitionRef {
        .init(id: connection.id(workflow).description, name: workflow)
    }

    /// A `GET /workflows` item's name: the definition id, the key every path uses.
    func workflowName(_ value: JSONValue) throws -> String {
        try json.string(UpstreamObject(try json.object(value, "result[]"))["name"], "result[].name")
    }

    /// A `GET /workflows` item: its id is the workflow's name.
    func definition(_ value: JSONValue, includeRaw: Bool) throws -> Definition {
        let name = try workflowName(value)
        return Definition(
            id: connection.id(name), provider: .cloudflare, name: name, startable: true, raw: includeRaw ? value : nil
        )
    }

    /// A `GET …/instances` item of `workflow`.
    func listed(_ value: JSONValue, workflow: String, includeRaw: Bool) throws -> Instance {
        let item = UpstreamObject(try json.object(value, "result[]"))
        let id = try json.string(item["id"], "result[].id")
        let word = try json.string(item["status"], "result[].status")
        return Instance(
            id: connection.id(CloudflareNativeID(workflow: workflow, instance: id).native), provider: .cloudflare,
            definition: definitionRef(workflow), status: CloudflareStatus.map(word), providerStatus: word,
            startedAt: time(item["created_on"], "result[].created_on"), updatedAt: time(item["modified_on"], "result[].modified_on"),
            endedAt: time(item["ended_on"], "result[].ended_on"), startedBy: json.text(item["trigger_source"], "result[].trigger_source"),
            raw: includeRaw ? value : nil
        )
    }

    /// `GET …/instances/{id}`, which does not repeat the id or workflow: they come from the request.
    func detail(_ value: JSONValue, id: CloudflareNativeID, includeRaw: Bool) throws -> InstanceDetail {
        let record = try CloudflareRecord(value, json: json)
        let instance = Instance(
            id: connection.id(id.native), provider: .cloudflare, definition: definitionRef(id.workflow),
            status: CloudflareStatus.map(record.status), providerStatus: record.status, startedAt: record.queued,
            updatedAt: record.lastActivity, endedAt: record.end, startedBy: record.triggerSource,
            currentStep: record.currentStep.map { Instance.StepRef(id: nil, name: $0) }, raw: includeRaw ? value : nil
        )
        let failure = record.error.map { InstanceDetail.Failure(code: $0.name, message: $0.message) }
        // Cloudflare instances have no variables of their own: the start input (`params`) is what they hold.
        return InstanceDetail(instance: instance, tasks: [], variables: record.input, output: record.output, error: failure, files: nil)
    }

    /// The answer of a start (`{id, status, version_id, workflow_id}`): no times are reported.
    func created(_ value: JSONValue, workflow: String, includeRaw: Bool = false) throws -> Instance {
        let result = UpstreamObject(try json.object(value, "result"))
        let id = try json.string(result["id"], "result.id")
        let word = try json.string(result["status"], "result.status")
        return Instance(
            id: connection.id(CloudflareNativeID(workflow: workflow, instance: id).native), provider: .cloudflare,
            definition: definitionRef(workflow), status: CloudflareStatus.map(word), providerStatus: word,
            startedBy: json.text(result["trigger_source"], "result.trigger_source")
        )
    }

    /// The answer of `PATCH …/status` (`{status, timestamp}`): the new status and when it changed.
    func changed(_ value: JSONValue, id: CloudflareNativeID) throws -> Instance {
        let result = UpstreamObject(try json.object(value, "result"))
        let word = try json.string(result["status"], "result.status")
        let status = CloudflareStatus.map(word)
        let at = time(result["timestamp"], "result.timestamp")
        let finished: Set<InstanceStatus> = [.completed, .failed, .cancelled]
        return Instance(
            id: connection.id(id.native), provider: .cloudflare, definition: definitionRef(id.workflow), status: status,
            providerStatus: word, updatedAt: at, endedAt: finished.contains(status) ? at : nil
        )
    }

    /// A Cloudflare timestamp: RFC 3339 UTC, or "ISO 8601 with no timezone offsets and in UTC" (the
    /// connection's `timezone`, UTC unless configured otherwise).
    func time(_ value: JSONValue?, _ field: String) -> Date? {
        json.instant(value, field)
    }
}

enum CloudflareTime {
    /// A filter bound as `date_start`/`date_end` want it: UTC without an offset, whole seconds. Start
    /// bounds round down and end bounds up, so the upstream returns a superset the gateway then trims.
    static func filterBound(_ date: Date, roundingUp: Bool) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = roundingUp ? seconds.rounded(.up) : seconds.rounded(.down)
        return LocalTimestamp.format(Date(timeIntervalSince1970: whole), in: .gmt)
    }
}
