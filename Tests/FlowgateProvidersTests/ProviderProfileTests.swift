import FlowgateCore
import FlowgateProviders
import Testing

/// The capability matrix of docs/upstreams/README.md#capabilities: what each provider can serve at all.
struct ProviderProfileTests {
    @Test func onlyCloudflarePausesResumesRestartsAndTakesEvents() {
        for kind in ProviderKind.allCases {
            let capabilities = ProviderProfile.of(kind).capabilities
            let expected = kind == .cloudflare
            for operation in [CanonicalOperation.pauseInstance, .resumeInstance, .restartInstance, .sendEvent] {
                #expect(capabilities.contains(operation) == expected, "\(kind) \(operation)")
            }
        }
    }

    @Test func workingflowCannotListOrCancelButServesFiles() {
        let workingflow = ProviderProfile.of(.workingflow).capabilities
        #expect(!workingflow.contains(.listInstances))
        #expect(!workingflow.contains(.cancelInstance))
        #expect(!workingflow.contains(.getTimeline))
        #expect(workingflow.contains(.downloadFile))
        for kind in ProviderKind.allCases where kind != .workingflow {
            #expect(!ProviderProfile.of(kind).capabilities.contains(.downloadFile), "\(kind)")
        }
    }

    @Test func bucketsAreTheDesignNames() {
        #expect(ProviderProfile.of(.geotareas).buckets == ["reads", "writes", "login"])
        #expect(ProviderProfile.of(.bitrix24).buckets == ["default", "portal"], "per key and per portal")
        for kind in [ProviderKind.workingflow, .cloudflare] {
            #expect(ProviderProfile.of(kind).buckets == ["default"])
        }
    }

    @Test func credentialsEachProviderNeeds() {
        #expect(ProviderProfile.of(.geotareas).requiredCredentials == ["api_key", "email", "password"])
        #expect(ProviderProfile.of(.bitrix24).optionalCredentials == ["user_token"])
        #expect(ProviderProfile.of(.cloudflare).requiredSettings == ["account_id"])
    }
}
