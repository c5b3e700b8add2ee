import Crypto
import FlowgateCore
import Foundation

/// Gateway API keys are stored only as `sha256:<hex>` and compared without early exit.
public enum KeyHash {
    /// The SHA-256 of a presented key.
    public static func digest(of key: some StringProtocol) -> [UInt8] {
        Array(SHA256.hash(data: Data(key.utf8)))
    }

    /// `sha256:` and the lowercase hex digest, as config files hold it.
    public static func configString(of key: String) -> String {
        "sha256:" + HexDigits.lowercase(digest(of: key))
    }

    /// Parses lowercase hex; uppercase is refused so one key has exactly one spelling in config.
    static func bytes(fromLowercaseHex text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            let pair = text[index..<next]
            guard pair.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }), let byte = UInt8(pair, radix: 16) else {
                return nil
            }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Compares two digests in time independent of where they differ.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// A new random key (`fgk_` + 43 base64url characters, 256 bits).
    public static func generateKey() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "fgk_" + text
    }
}
