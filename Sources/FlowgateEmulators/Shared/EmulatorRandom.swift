/// A tiny deterministic generator (SplitMix64) for seeded emulator data, so the seed is the same on every
/// machine and run, and ids generated later (Cloudflare instances created without one) are reproducible too.
/// Geotareas and Cloudflare seed it; the same seed always gives the same sequence.
struct EmulatorRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `0..<bound`.
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// `count` lowercase hex digits.
    mutating func hex(count: Int) -> String {
        var text = ""
        while text.count < count {
            let chunk = String(next(), radix: 16)
            text += String(repeating: "0", count: 16 - chunk.count) + chunk
        }
        return String(text.prefix(count))
    }

    /// A version-4 UUID, lowercase as Cloudflare writes them.
    mutating func uuid() -> String {
        let digits = Array(hex(count: 32))
        let variant = "89ab"[String.Index(utf16Offset: next(below: 4), in: "89ab")]
        return
            "\(String(digits[0..<8]))-\(String(digits[8..<12]))-4\(String(digits[13..<16]))-\(variant)\(String(digits[17..<20]))-\(String(digits[20..<32]))"
    }
}
