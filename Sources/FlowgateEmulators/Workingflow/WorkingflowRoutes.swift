import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

extension WorkingflowEmulator {
    /// `GET /processapi/list`: every deployed definition as a bare array, no envelope, no paging.
    func listDefinitions(_ request: Request) throws -> Response {
        _ = try authenticate(request)
        return WorkingflowJSON.response(status: .ok, store.definitions.map(\.wire))
    }

    /// `POST /processapi/{processKey}/start` with `{"variables": {…}}` → 201.
    func start(_ request: Request, key: String) async throws -> Response {
        let keyName = try authenticate(request)
        var request = request
        let variables = try Self.variables(in: try await request.collectBody(upTo: 1 << 20))
        let id = try store.start(key: key, variables: variables, initiator: "api:\(keyName)", now: now())
        return WorkingflowJSON.response(status: .created, WorkingflowStartWire(processInstanceId: id, processDefinitionKey: key))
    }

    /// `GET /processapi/{id}/status`. [INF] ended instances stay readable (the engine's history), with
    /// `endTime` set and no active tasks.
    func status(_ request: Request, id: String) throws -> Response {
        _ = try authenticate(request)
        guard let instance = store.instance(id) else { throw WorkingflowError.instanceNotFound(id) }
        return WorkingflowJSON.response(status: .ok, instance.wire(files: variants(WorkingflowFileItems.self)))
    }

    /// `GET /processapi/{id}/files/{filename}`, streamed. [INF] an unknown instance is `INSTANCE_NOT_FOUND`
    /// rather than `FILE_NOT_FOUND`, as the status route says for the same id.
    func download(_ request: Request, id: String, name: String) throws -> Response {
        _ = try authenticate(request)
        guard let instance = store.instance(id) else { throw WorkingflowError.instanceNotFound(id) }
        guard let file = instance.files.first(where: { $0.storedName == name }) else { throw WorkingflowError.fileNotFound(name) }
        return WorkingflowFileBody.response(for: file)
    }

    /// The `variables` of a start body. [INF] an empty body starts with no variables; a body that is not a
    /// JSON object, or whose `variables` is not one, fails as the undocumented-400 case does: 500 `INTERNAL_ERROR`.
    private static func variables(in body: ByteBuffer) throws(WorkingflowError) -> [String: EmulatorJSON] {
        guard body.readableBytes > 0 else { return [:] }
        guard let value = try? JSONDecoder().decode(EmulatorJSON.self, from: Data(buffer: body)), case .object(let fields) = value else {
            throw .internalError
        }
        switch fields["variables"] {
        case nil, .null?: return [:]
        case .object(let variables)?: return variables
        default: throw .internalError
        }
    }
}
