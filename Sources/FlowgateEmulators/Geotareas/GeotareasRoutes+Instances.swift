import Foundation
import Hummingbird

extension GeotareasEmulator {
    /// The documented instance endpoints, all under `/apidev/v1/workflow/instances`.
    func addInstanceRoutes(to router: Router<EmulatorRequestContext>) {
        let auth = self.authenticator
        let store = self.store
        let now = self.now
        let base = "/apidev/v1/workflow/instances"

        router.get(RouterPath(base)) { request, _ -> Response in
            _ = try auth.authenticate(request, requiring: .read)
            let query = try GeotareasInstanceQuery(GeotareasParameters(request))
            let page = store.instances(query)
            return GeotareasEnvelope.list(page.items.map(GeotareasInstanceItem.init), total: page.total, limit: query.limit, offset: query.offset)
        }
        router.get(RouterPath("\(base)/:id")) { request, context -> Response in
            _ = try auth.authenticate(request, requiring: .read)
            return GeotareasEnvelope.object(GeotareasInstanceDetail(try Self.instance(context, in: store)))
        }
        router.get(RouterPath("\(base)/:id/timeline")) { request, context -> Response in
            _ = try auth.authenticate(request, requiring: .read)
            return GeotareasEnvelope.object(try Self.instance(context, in: store).timeline.map(GeotareasTimelineItem.init))
        }
        router.get(RouterPath("\(base)/:id/captured-data")) { request, context -> Response in
            _ = try auth.authenticate(request, requiring: .read)
            return GeotareasEnvelope.object(try Self.instance(context, in: store).captured.map(GeotareasCapturedItem.init))
        }
        router.post(RouterPath(base)) { request, _ -> Response in
            let user = try auth.authenticate(request, requiring: .execute)
            let body = try await GeotareasBody(request)
            try body.rejectUnknown(allowed: ["definition_id", "entity_type", "entity_id"])
            let definitionID = try body.string("definition_id", required: true, maxLength: 30) ?? ""
            let typeName = try body.string("entity_type", required: true, maxLength: 30) ?? ""
            guard let entityType = GeotareasEntityType(rawValue: typeName) else {
                let allowed = GeotareasEntityType.allCases.map(\.rawValue).joined(separator: ", ")
                throw GeotareasError.validation("entity_type must be one of: \(allowed).")
            }
            let entityID = try body.string("entity_id", required: false, maxLength: 30)
            let instance = try store.start(definitionID: definitionID, entityType: entityType, entityID: entityID, by: user.login, at: now())
            let result = GeotareasStartResult(
                instanceID: instance.id, status: instance.status.rawValue, currentStep: instance.currentStep?.name ?? ""
            )
            return GeotareasEnvelope.object(result, status: .created)
        }
        router.post(RouterPath("\(base)/:id/cancel")) { request, context -> Response in
            let user = try auth.authenticate(request, requiring: .execute)
            let body = try await GeotareasBody(request)
            let reason = try body.string("reason", required: true, maxLength: 500) ?? ""
            let id = context.parameters.get("id") ?? ""
            let instance = try store.cancel(id: id, reason: reason, by: user.login, at: now())
            let result = GeotareasCancelResult(
                instanceID: instance.id, status: instance.status.rawValue, cancelledAt: instance.cancelledAt.map(GeotareasTime.format) ?? ""
            )
            return GeotareasEnvelope.object(result)
        }
    }

    private static func instance(_ context: EmulatorRequestContext, in store: GeotareasStore) throws -> GeotareasInstance {
        guard let id = context.parameters.get("id"), let instance = store.instance(id: id) else {
            throw GeotareasError.notFound("Workflow instance not found.")
        }
        return instance
    }
}
