import Foundation

/// What a Geotareas JWT says about its bearer. [INF] The real claim names are not documented; these are
/// the usual registered claims plus what the emulator needs to authorise a call.
struct GeotareasClaims: Codable, Sendable {
    var sub: String
    var email: String
    var tenant: String
    var permissions: [String]
    var iat: Int
    var exp: Int
    var jti: String
}

/// Issues and checks the JWTs `POST /login` hands out: `base64url(header).base64url(payload).base64url(signature)`,
/// valid for one hour with no refresh.
///
/// The signature is a keyed FNV-1a digest, not HMAC-SHA256: the emulator target has no crypto library
/// and only the emulator itself ever verifies these tokens. The header still says `HS256` so the token
/// looks like the real thing to anything that decodes it (the gateway may read `exp`).
struct GeotareasTokenIssuer: Sendable {
    static let lifetime = 3600

    enum Verdict: Sendable {
        case valid(GeotareasClaims)
        case expired
        case invalid
    }

    private let secret: [UInt8]

    /// A fresh random secret per emulator, so a restarted emulator rejects old tokens like a real
    /// upstream that rotated its key; the gateway must then log in again.
    init(secret: [UInt8] = Array(UUID().uuidString.utf8)) {
        self.secret = secret
    }

    func issue(subject: String, email: String, tenant: String, permissions: [String], now: Date) -> String {
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let claims = GeotareasClaims(
            sub: subject, email: email, tenant: tenant, permissions: permissions,
            iat: issuedAt, exp: issuedAt + Self.lifetime, jti: UUID().uuidString.lowercased()
        )
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = Self.base64URL((try? JSONEncoder().encode(claims)) ?? Data())
        let signingInput = "\(header).\(payload)"
        return "\(signingInput).\(Self.base64URL(Data(signature(signingInput))))"
    }

    func verify(_ token: String, now: Date) -> Verdict {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            Self.base64URL(Data(signature("\(parts[0]).\(parts[1])"))) == parts[2],
            let payload = Self.decodeBase64URL(parts[1]),
            let claims = try? JSONDecoder().decode(GeotareasClaims.self, from: payload)
        else { return .invalid }
        return Double(claims.exp) > now.timeIntervalSince1970 ? .valid(claims) : .expired
    }

    private func signature(_ signingInput: String) -> [UInt8] {
        let message = Array(signingInput.utf8)
        var digest: [UInt8] = []
        for lane: UInt8 in 0..<4 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in secret + [lane] + message {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            for shift in stride(from: 56, through: 0, by: -8) { digest.append(UInt8(truncatingIfNeeded: hash >> UInt64(shift))) }
        }
        return digest
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
