import Testing

@testable import FlowgateServer

/// The auth shortcut for keys seen before: it must never let a wrong key in, and must stay bounded.
struct VerifiedKeyCacheTests {
    @Test func aRepeatedKeyFindsItsCallerAndAWrongKeyFindsNothing() throws {
        let directory = TenantDirectory(config: try TestGateway.config())
        let first = try #require(directory.caller(presenting: TestKeys.acmeReadWrite))
        #expect(directory.verifiedKeyCount == 1)
        let again = try #require(directory.caller(presenting: TestKeys.acmeReadWrite))
        #expect(again === first)
        // Wrong keys, including ones that differ from a cached key only in the last byte or its length.
        for wrong in ["fgk_acme_rw_0123456788", "fgk_acme_rw_012345678", "fgk_acme_rw_01234567890", "", "x"] {
            #expect(directory.caller(presenting: wrong) == nil)
        }
        #expect(directory.verifiedKeyCount == 1, "only verified keys are remembered")
    }

    @Test func keysOfOtherTenantsAreNotConfused() throws {
        let directory = TenantDirectory(config: try TestGateway.config())
        #expect(directory.caller(presenting: TestKeys.acmeReadOnly)?.keyID == "ro")
        #expect(directory.caller(presenting: TestKeys.globex)?.tenant.name == "globex")
        #expect(directory.caller(presenting: TestKeys.acmeReadOnly)?.keyID == "ro")
        #expect(directory.caller(presenting: TestKeys.globex)?.tenant.name == "globex")
    }

    @Test func aKeyPresentedAsASubstringIsTheSameKey() throws {
        let directory = TenantDirectory(config: try TestGateway.config())
        let header = "Bearer \(TestKeys.acmeReadWrite)"
        _ = directory.caller(presenting: TestKeys.acmeReadWrite)
        #expect(directory.caller(presenting: header.dropFirst(7))?.keyID == "rw")
    }

    @Test func theCacheIsBoundedAndDropsTheOldestKey() throws {
        let directory = TenantDirectory(config: try TestGateway.config(), verifiedKeyCapacity: 2)
        _ = directory.caller(presenting: TestKeys.acmeReadWrite)
        _ = directory.caller(presenting: TestKeys.acmeReadOnly)
        _ = directory.caller(presenting: TestKeys.globex)
        #expect(directory.verifiedKeyCount == 2)
        // The dropped key is still accepted, through the full path, and comes back in.
        #expect(directory.caller(presenting: TestKeys.acmeReadWrite)?.keyID == "rw")
        #expect(directory.verifiedKeyCount == 2)
    }

    @Test func aHeldEntryIsUsedOnlyForItsOwnBytes() {
        let cache = VerifiedKeyCache(capacity: 4)
        #expect(cache.caller(presenting: "fgk_never_verified") == nil)
        #expect(cache.count == 0)
    }
}
