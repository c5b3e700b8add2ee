import Foundation
import Hummingbird

extension CloudflareEmulator {
    /// Listing, creating (one or a batch) and reading instances.
    func addInstanceRoutes(to router: Router<EmulatorRequestContext>) {
        let store = self.store
        let now = self.now
        let variants = self.variants
        let instances = "\(Self.accountPath)/:workflow_name/instances"

        router.get(RouterPath(instances)) { request, context -> Response in
            let name = try Self.workflowName(context)
            let page = try store.instances(of: name, query: try CloudflareInstanceQuery(request), listing: variants(CloudflareListing.self))
            return CloudflareEnvelope.success(page.items.map(CloudflareInstanceItem.init), resultInfo: page.info)
        }
        // [GAP] 200 or 201 is undocumented; v4 usually answers 200.
        router.post(RouterPath(instances)) { request, context -> Response in
            let name = try Self.workflowName(context)
            let body = try await CloudflareBody.json(request)
            let create = try CloudflareCreateRequest(body == .null ? .object([:]) : body)
            let created = try store.create([create], in: name, at: now())
            return CloudflareEnvelope.success(created.map(CloudflareCreateResult.init).first)
        }
        router.post(RouterPath("\(instances)/batch")) { request, context -> Response in
            let name = try Self.workflowName(context)
            // [INF] The binding's cap of 100 instances per batch applies to REST too.
            guard case .array(let bodies) = try await CloudflareBody.json(request), (1...100).contains(bodies.count) else {
                throw CloudflareError.body()
            }
            let created = try store.create(try bodies.map(CloudflareCreateRequest.init), in: name, at: now())
            return CloudflareEnvelope.success(created.map(CloudflareCreateResult.init))
        }
        router.get(RouterPath("\(instances)/:instance_id")) { request, context -> Response in
            let instance = try store.instance(try Self.instanceID(context), of: try Self.workflowName(context))
            let query = request.uri.queryParameters
            let order = query["order"].map(String.init) ?? "asc"
            let simple = query["simple"].map(String.init) ?? "false"
            guard ["asc", "desc"].contains(order), ["true", "false"].contains(simple) else { throw CloudflareError.body() }
            return CloudflareEnvelope.success(CloudflareInstanceDetail(instance, simple: simple == "true", newestFirst: order == "desc"))
        }
    }

    /// `PATCH …/status` and `POST …/events/{event_type}`.
    func addInstanceChangeRoutes(to router: Router<EmulatorRequestContext>) {
        let store = self.store
        let now = self.now
        let instance = "\(Self.accountPath)/:workflow_name/instances/:instance_id"

        router.patch(RouterPath("\(instance)/status")) { request, context -> Response in
            let name = try Self.workflowName(context)
            let id = try Self.instanceID(context)
            let change = try Self.statusChange(try await CloudflareBody.json(request))
            let at = now()
            let changed = try store.change(id, of: name, to: change, at: at)
            return CloudflareEnvelope.success(CloudflareStatusResult(status: changed.status.rawValue, timestamp: CloudflareTime.format(at)))
        }
        router.post(RouterPath("\(instance)/events/:event_type")) { request, context -> Response in
            let name = try Self.workflowName(context)
            let id = try Self.instanceID(context)
            // [GAP] event_type rules are undocumented; the emulator holds it to the instance-id alphabet.
            guard let type = context.parameters.get("event_type"), CloudflareCreateRequest.isValidID(type) else {
                throw CloudflareError.body()
            }
            try store.send(event: type, payload: try await CloudflareBody.json(request), to: id, of: name, at: now())
            return CloudflareEnvelope.success(EmulatorJSON.null)
        }
    }

    private static func statusChange(_ body: EmulatorJSON) throws -> CloudflareStatusChange {
        switch body["status"] {
        case .string("pause")?: return .pause
        case .string("resume")?: return .resume
        case .string("terminate")?: return .terminate
        case .string("restart")?:
            guard let from = body["from"], from != .null else { return .restart(from: nil) }
            guard case .string(let step)? = from["name"], (1...256).contains(step.count) else { throw CloudflareError.body() }
            return .restart(from: step)
        default:
            throw CloudflareError.body()
        }
    }
}
