import Foundation
import Hummingbird

extension GeotareasEmulator {
    /// Definitions and tasks
    /// (GT:api/workflow/workflow-tasks). Task detail, complete and reassign are undocumented and absent.
    func addCatalogRoutes(to router: Router<EmulatorRequestContext>) {
        let auth = self.authenticator
        let store = self.store
        let now = self.now

        router.get("/apidev/v1/workflow/definitions") { request, _ -> Response in
            _ = try auth.authenticate(request, requiring: .read)
            let query = try GeotareasDefinitionQuery(GeotareasParameters(request))
            let page = store.definitions(query)
            return GeotareasEnvelope.list(page.items.map(GeotareasDefinitionItem.init), total: page.total, limit: query.limit, offset: query.offset)
        }
        router.get("/apidev/v1/workflow/definitions/:id") { request, context -> Response in
            _ = try auth.authenticate(request, requiring: .read)
            guard let id = context.parameters.get("id"), let definition = store.definition(id: id) else {
                throw GeotareasError.notFound("Workflow definition not found.")
            }
            return GeotareasEnvelope.object(GeotareasDefinitionDetail(definition))
        }
        router.get("/apidev/v1/workflow/tasks") { request, _ -> Response in
            _ = try auth.authenticate(request, requiring: .read)
            let query = try GeotareasTaskQuery(GeotareasParameters(request))
            let page = store.tasks(query, now: now())
            return GeotareasEnvelope.list(page.items.map(GeotareasTaskItem.init), total: page.total, limit: query.limit, offset: query.offset)
        }
    }
}
