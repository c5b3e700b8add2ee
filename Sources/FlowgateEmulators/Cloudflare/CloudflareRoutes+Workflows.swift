import Foundation
import Hummingbird

extension CloudflareEmulator {
    static let accountPath = "/client/v4/accounts/:account_id/workflows"

    /// `GET /workflows` (page, per_page, search) and `GET /workflows/{workflow_name}`.
    func addWorkflowRoutes(to router: Router<EmulatorRequestContext>) {
        let store = self.store
        let now = self.now
        router.get(RouterPath(Self.accountPath)) { request, _ -> Response in
            let query = request.uri.queryParameters
            let page = try CloudflareInstanceQuery.number(query["page"].map(String.init), name: "page", range: 1...Int.max) ?? 1
            let perPage =
                try CloudflareInstanceQuery.number(query["per_page"].map(String.init), name: "per_page", range: 1...100)
                ?? CloudflareInstanceQuery.defaultPerPage
            let search = query["search"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let (result, instances) = store.workflows(search: search, page: page, perPage: perPage)
            let items = result.items.map { CloudflareWorkflowItem($0, instances: instances, now: now()) }
            return CloudflareEnvelope.success(items, resultInfo: result.info)
        }
        router.get(RouterPath("\(Self.accountPath)/:workflow_name")) { _, context -> Response in
            let (workflow, instances) = try store.workflow(named: Self.workflowName(context))
            return CloudflareEnvelope.success(CloudflareWorkflowItem(workflow, instances: instances, now: now()))
        }
    }

    static func workflowName(_ context: EmulatorRequestContext) throws -> String {
        guard let name = context.parameters.get("workflow_name"), (1...64).contains(name.count) else { throw CloudflareError.workflowNotFound }
        return name
    }

    static func instanceID(_ context: EmulatorRequestContext) throws -> String {
        guard let id = context.parameters.get("instance_id"), (1...100).contains(id.count) else { throw CloudflareError.instanceNotFound }
        return id
    }
}
