import Foundation
import Hummingbird
import HummingbirdCore

/// Reads list query parameters and rejects bad ones with `VALIDATION_ERROR`, using the limits the docs
/// give. [INF] An empty value (`status=`) counts as absent.
struct GeotareasParameters {
    let values: FlatDictionary<Substring, Substring>

    init(_ request: Request) { values = request.uri.queryParameters }

    func string(_ name: String, maxLength: Int) throws -> String? {
        guard let value = values[Substring(name)], !value.isEmpty else { return nil }
        guard value.count <= maxLength else { throw GeotareasError.validation("\(name) must be at most \(maxLength) characters.") }
        return String(value)
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, _ type: Choice.Type) throws -> Choice? where Choice.RawValue == String {
        guard let value = try string(name, maxLength: 64) else { return nil }
        guard let choice = Choice(rawValue: value) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw GeotareasError.validation("\(name) must be one of: \(allowed).")
        }
        return choice
    }

    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = try string(name, maxLength: 20) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            throw GeotareasError.validation("\(name) must be an integer \(bounds).")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool {
        switch try string(name, maxLength: 5) {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw GeotareasError.validation("\(name) must be true or false.")
        }
    }

    func date(_ name: String, endOfDay: Bool = false) throws -> Date? {
        guard let text = try string(name, maxLength: 30) else { return nil }
        guard let date = GeotareasTime.parse(text, endOfDay: endOfDay) else {
            throw GeotareasError.validation("\(name) must be an ISO 8601 date or date-time.")
        }
        return date
    }

    /// `limit` 1–100 (default 25) and `offset` ≥ 0 (default 0).
    func paging() throws -> (limit: Int, offset: Int) {
        (try integer("limit", default: 25, in: 1...100), try integer("offset", default: 0, in: 0...Int.max))
    }
}

/// The filters of `GET /workflow/instances`; `startdate`/`enddate` bound the start date.
struct GeotareasInstanceQuery: Sendable {
    var limit: Int
    var offset: Int
    var status: GeotareasInstanceStatus?
    var definitionID: String?
    var entityType: GeotareasEntityType?
    var entityID: String?
    var startDate: Date?
    var endDate: Date?

    init(_ parameters: GeotareasParameters) throws {
        (limit, offset) = try parameters.paging()
        status = try parameters.choice("status", GeotareasInstanceStatus.self)
        definitionID = try parameters.string("definition_id", maxLength: 30)
        entityType = try parameters.choice("entity_type", GeotareasEntityType.self)
        entityID = try parameters.string("entity_id", maxLength: 30)
        startDate = try parameters.date("startdate")
        endDate = try parameters.date("enddate", endOfDay: true)
    }

    func matches(_ instance: GeotareasInstance) -> Bool {
        (status.map { $0 == instance.status } ?? true)
            && (definitionID.map { $0 == instance.definitionID } ?? true)
            && (entityType.map { $0 == instance.entity.type } ?? true)
            && (entityID.map { $0 == instance.entity.id } ?? true)
            && (startDate.map { instance.startedAt >= $0 } ?? true)
            && (endDate.map { instance.startedAt <= $0 } ?? true)
    }
}

/// The filters of `GET /workflow/tasks`.
struct GeotareasTaskQuery: Sendable {
    var limit: Int
    var offset: Int
    var status: GeotareasTaskStatus?
    var definitionID: String?
    var entityType: GeotareasEntityType?
    var overdueOnly: Bool

    init(_ parameters: GeotareasParameters) throws {
        (limit, offset) = try parameters.paging()
        status = try parameters.choice("status", GeotareasTaskStatus.self)
        definitionID = try parameters.string("definition_id", maxLength: 30)
        entityType = try parameters.choice("entity_type", GeotareasEntityType.self)
        overdueOnly = try parameters.bool("overdue_only")
    }
}

/// The filters of `GET /workflow/definitions`: `status` is `active` (default), `inactive` or `all`.
struct GeotareasDefinitionQuery: Sendable {
    enum Status: String, CaseIterable, Sendable { case active, inactive, all }

    var limit: Int
    var offset: Int
    var status: Status
    var entityType: GeotareasEntityType?
    var search: String?

    init(_ parameters: GeotareasParameters) throws {
        (limit, offset) = try parameters.paging()
        status = try parameters.choice("status", Status.self) ?? .active
        entityType = try parameters.choice("entity_type", GeotareasEntityType.self)
        search = try parameters.string("search", maxLength: 120)
    }

    func matches(_ definition: GeotareasDefinition) -> Bool {
        let statusMatches =
            switch status {
            case .active: definition.isActive
            case .inactive: !definition.isActive
            case .all: true
            }
        let searchMatches = search.map { text in
            definition.name.localizedCaseInsensitiveContains(text) || (definition.description?.localizedCaseInsensitiveContains(text) ?? false)
        }
        return statusMatches && (entityType.map { $0 == definition.entityType } ?? true) && (searchMatches ?? true)
    }
}
