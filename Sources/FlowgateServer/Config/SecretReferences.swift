import FlowgateCore
import Foundation

/// Expands `${env:NAME}` and `${file:/path}` references inside config values.
///
/// The environment and file reader are injected so tests need neither. Error messages name the
/// reference, never a value.
public struct SecretReferences: Sendable {
    public var environment: [String: String]
    public var readFile: @Sendable (String) throws -> String

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readFile: @escaping @Sendable (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) {
        self.environment = environment
        self.readFile = readFile
    }

    /// Replaces every reference in `text`; throws the first one that cannot be resolved.
    func expand(_ text: String) throws(ReferenceError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ReferenceError("unterminated reference '${'")
            }
            result += try resolve(rest[start.upperBound..<end])
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private func resolve(_ reference: Substring) throws(ReferenceError) -> String {
        if reference.hasPrefix("env:") {
            let name = String(reference.dropFirst(4))
            guard name.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else {
                throw ReferenceError("'${env:\(name)}' is not a valid environment variable name")
            }
            guard let value = environment[name] else {
                throw ReferenceError("environment variable \(name) is not set")
            }
            return value
        }
        if reference.hasPrefix("file:") {
            let path = String(reference.dropFirst(5))
            guard path.hasPrefix("/") else { throw ReferenceError("'${file:\(path)}' must name an absolute path") }
            let contents: String
            do { contents = try readFile(path) } catch { throw ReferenceError("cannot read secret file \(path)") }
            // Files written by `echo` or editors end in a newline that is not part of the secret.
            return contents.hasSuffix("\r\n") ? String(contents.dropLast(2)) : contents.hasSuffix("\n") ? String(contents.dropLast()) : contents
        }
        throw ReferenceError("unknown reference '${\(reference.prefix(20))}': use ${env:NAME} or ${file:/path}")
    }

    struct ReferenceError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
