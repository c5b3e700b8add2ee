import FlowgateRouteFiles
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing
import Yams

/// Checks answers against `Routes/openapi.yaml`: the response documented for the route, method and
/// status must exist, and the body must match its schema — types, required and unknown properties,
/// enums, bounds, `oneOf` — so the spec cannot drift from the server unnoticed.
///
/// Implements the JSON Schema subset the spec uses; an unknown keyword fails loudly rather than pass.
struct OpenAPIValidator: Sendable {
    nonisolated(unsafe) private let document: [String: Any]

    static let shared: OpenAPIValidator = {
        do {
            let text = String(decoding: try RouteFiles.openAPIDocument(), as: UTF8.self)
            guard let document = try Yams.load(yaml: text) as? [String: Any] else { fatalError("openapi.yaml is not a mapping") }
            return OpenAPIValidator(document: document)
        } catch {
            fatalError("openapi.yaml does not load: \(error)")
        }
    }()

    /// Problems of `response` as the answer of `method` on the route template `path` (`/v1/instances/{id}`).
    func problems(_ response: TestResponse, path: String, method: String) -> [String] {
        let status = String(response.status.code)
        guard let operation = (document["paths"] as? [String: Any])?[path].flatMap({ $0 as? [String: Any] })?[method.lowercased()] as? [String: Any]
        else { return ["the spec has no \(method) \(path)"] }
        guard let responses = operation["responses"] as? [String: Any], var documented = responses[status] as? [String: Any] else {
            return ["the spec documents no \(status) for \(method) \(path)"]
        }
        if let ref = documented["$ref"] as? String { documented = resolve(ref) }
        guard let content = documented["content"] as? [String: Any] else {
            return response.body.readableBytes == 0 ? [] : ["the spec documents no body for \(status)"]
        }
        guard let json = content["application/json"] as? [String: Any], let schema = json["schema"] else {
            return []  // not a JSON answer (file downloads): the body is the upstream's
        }
        guard let body = try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed]) else {
            return ["the body is not JSON"]
        }
        var problems: [String] = []
        validate(body, against: schema, at: "$", into: &problems)
        return problems
    }

    /// Records an issue for every problem; use in any end-to-end test on any canonical answer.
    func check(_ response: TestResponse, path: String, method: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for problem in problems(response, path: path, method: method) {
            Issue.record("openapi: \(method) \(path) \(response.status.code): \(problem)", sourceLocation: sourceLocation)
        }
    }

    private func resolve(_ ref: String) -> [String: Any] {
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { return [:] }
            node = next
        }
        return node as? [String: Any] ?? [:]
    }

    private func validate(_ value: Any, against rawSchema: Any, at path: String, into problems: inout [String]) {
        guard var schema = rawSchema as? [String: Any] else { return }
        if let ref = schema["$ref"] as? String { schema = resolve(ref) }
        let known: Set<String> = [
            "type", "required", "properties", "additionalProperties", "items", "enum", "const", "oneOf", "anyOf", "minimum", "maximum",
            "maxLength", "minLength", "format", "description", "examples", "example", "default", "contentMediaType", "title", "pattern",
            "minItems", "maxItems",
        ]
        for key in schema.keys where !known.contains(key) { problems.append("\(path): schema keyword \(key) is not checked by this validator") }
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [(types as? String) ?? ""]
            guard allowed.contains(where: { Self.matches(value, type: $0) }) else {
                problems.append("\(path): \(Self.describe(value)) is not \(allowed.joined(separator: "|"))")
                return
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            problems.append("\(path): \(Self.describe(value)) is not one of \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) { problems.append("\(path): is not \(constant)") }
        if let number = value as? NSNumber, !(value is Bool) {
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { problems.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { problems.append("\(path): above \(maximum)") }
        }
        if let text = value as? String {
            if let max = schema["maxLength"] as? Int, text.count > max { problems.append("\(path): longer than \(max)") }
            if let min = schema["minLength"] as? Int, text.count < min { problems.append("\(path): shorter than \(min)") }
            if schema["format"] as? String == "date-time", !Self.isUTCTimestamp(text) { problems.append("\(path): \(text) is not RFC 3339 UTC") }
        }
        if let options = schema["oneOf"] as? [Any] {
            let passing = options.filter { option in
                var nested: [String] = []
                validate(value, against: option, at: path, into: &nested)
                return nested.isEmpty
            }
            if passing.count != 1 { problems.append("\(path): matches \(passing.count) of oneOf's \(options.count) schemas") }
        }
        if let options = schema["anyOf"] as? [Any] {
            let passes = options.contains { option in
                var nested: [String] = []
                validate(value, against: option, at: path, into: &nested)
                return nested.isEmpty
            }
            if !passes { problems.append("\(path): matches none of anyOf") }
        }
        if let object = value as? [String: Any] {
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { problems.append("\(path): missing \(name)") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (name, member) in object {
                if let property = properties[name] {
                    validate(member, against: property, at: "\(path).\(name)", into: &problems)
                } else if let additional = schema["additionalProperties"] {
                    if additional as? Bool == false {
                        problems.append("\(path): unexpected property \(name)")
                    } else if additional is [String: Any] {
                        validate(member, against: additional, at: "\(path).\(name)", into: &problems)
                    }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { validate(item, against: items, at: "\(path)[\(index)]", into: &problems) }
        }
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer":
            guard let number = value as? NSNumber, !matches(value, type: "boolean") else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        case "number": return value is NSNumber && !matches(value, type: "boolean")
        default: return false
        }
    }

    /// JSONSerialization gives booleans as NSNumbers; on Linux they are the ones of type `c` (JSON
    /// integers never come back as single bytes).
    private static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as String, y as String): x == y
        case let (x as NSNumber, y as NSNumber): x == y
        case (is NSNull, is NSNull): true
        default: false
        }
    }

    private static func isUTCTimestamp(_ text: String) -> Bool {
        text.hasSuffix("Z") && (try? Date(text, strategy: .iso8601)) != nil
            || (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) != nil && text.hasSuffix("Z")
    }

    private static func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case let text as String: "\"\(text.prefix(40))\""
        case is [String: Any]: "an object"
        case is [Any]: "an array"
        default: "\(value)"
        }
    }
}
