import Foundation
import HTTPTypes

/// Who is calling, once the key (and for an app key, the user session) checked out.
struct Bitrix24Caller: Sendable {
    var key: String
    /// A `vibe_app_` key acting through a user session.
    var isApp: Bool
    var hasBizproc: Bool
    /// [INF] every demo credential belongs to the portal admin, user 1: the native workflow methods are
    /// admin-only, so a non-admin key could not use them at all.
    var userID: String { "1" }
}

extension Bitrix24Emulator {
    /// The platform's key check (keys page, errors page), in the order a gateway would meet the failures.
    func authenticate(_ headers: HTTPFields, now: Date) throws(Bitrix24Error) -> Bitrix24Caller {
        // [INF] strictly X-Api-Key: Bearer-only personal keys are a [3P] observation, and the gateway must send X-Api-Key.
        guard let key = Self.header("X-Api-Key", in: headers), !key.isEmpty else { throw .missingAPIKey }
        if credentials.personalKeys.contains(key) { return Bitrix24Caller(key: key, isApp: false, hasBizproc: true) }
        if credentials.keysWithoutBizproc.contains(key) { return Bitrix24Caller(key: key, isApp: false, hasBizproc: false) }
        guard credentials.appKeys.contains(key) else { throw .invalidAPIKey }
        guard let token = Self.bearerToken(headers) else { throw .invalidAppKey }
        // [INF] an unknown session reads as expired: sessions are dropped when they expire, so the platform
        // cannot tell the two apart, and either way the user must re-authorize.
        guard credentials.sessions.contains(token), now < sessionsIssuedAt + credentials.sessionLifetime else { throw .tokenExpired }
        return Bitrix24Caller(key: key, isApp: true, hasBizproc: true)
    }

    static func header(_ name: String, in headers: HTTPFields) -> String? {
        guard let fieldName = HTTPField.Name(name) else { return nil }
        return headers[fieldName]
    }

    private static func bearerToken(_ headers: HTTPFields) -> String? {
        guard let value = headers[.authorization], value.count > 7, value.prefix(7).lowercased() == "bearer " else { return nil }
        let token = value.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
