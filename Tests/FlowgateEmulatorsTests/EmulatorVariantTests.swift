import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

/// The answer-shape switches: set at construction, over the control route, or from `EmulatorSet`; all
/// or nothing, and each one changes what the emulator answers.
struct EmulatorVariantTests {
    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    static func files(_ client: any TestClientProtocol) async throws -> [Any] {
        try await client.execute(uri: "/processapi/50100/status", method: .get, headers: WorkingflowEmulatorTests.auth) { response in
            try #require(try json(response.body)["files"] as? [Any])
        }
    }

    @Test func theControlRouteSwitchesAndRefusesUnknownValues() async throws {
        try await WorkingflowEmulator(largeFileSize: 10).makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/_emulator/variant", method: .get) { response in
                let body = try Self.json(response.body)
                #expect((body["current"] as? [String: String]) == ["file_items": "object"])
                #expect((body["options"] as? [String: [String]])?["file_items"]?.first == "object")
            }
            for bad in [#"{"file_items":"nope"}"#, #"{"colour":"blue"}"#, "not json"] {
                try await client.execute(uri: "/_emulator/variant", method: .post, body: ByteBuffer(string: bad)) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
            #expect(try await Self.files(client).first is [String: Any], "a refused switch changes nothing")
            try await client.execute(uri: "/_emulator/variant", method: .post, body: ByteBuffer(string: #"{"file_items":"bare"}"#)) { response in
                #expect(response.status == .ok)
            }
            #expect(try await Self.files(client).compactMap { $0 as? String } == ["a3f8b2c1_receipt.pdf", "7c1d9e04_Q2 travel summary.csv"])
            try await client.execute(uri: "/_emulator/variant", method: .post, body: ByteBuffer(string: #"{"file_items":"stored_name"}"#)) { _ in }
            let snake = try #require(try await Self.files(client).first as? [String: Any])
            #expect(snake["stored_name"] as? String == "a3f8b2c1_receipt.pdf" && snake["original_name"] as? String == "receipt.pdf")
            #expect(snake["content_type"] as? String == "application/pdf" && snake["name"] == nil)
            try await client.execute(uri: "/_emulator/variant", method: .delete) { response in #expect(response.status == .noContent) }
            #expect((try await Self.files(client).first as? [String: Any])?["name"] as? String == "a3f8b2c1_receipt.pdf")
        }
    }

    @Test func bitrix24TemplatesInUpperCaseWithNativeDocumentTypes() async throws {
        let emulator = Bitrix24Emulator(variants: [Bitrix24TemplateKeys.upper, Bitrix24DocumentTypeShape.array, Bitrix24TemplatesRoute.other])
        try await emulator.makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/entities/bizproc-templates", method: .get, headers: Bitrix24Fixtures.app) { response in
                #expect(response.status == .notFound, "the switch keeps only the other path")
            }
            try await client.execute(uri: "/v1/bizproc-templates?limit=1", method: .get, headers: Bitrix24Fixtures.app) { response in
                let row = try #require(try Bitrix24Fixtures.page(response.body).rows.first)
                #expect(row["ID"] as? Int == 713 && row["NAME"] as? String == "Deal approval" && row["id"] == nil)
                #expect(row["DOCUMENT_TYPE"] as? [String] == ["crm", "CCrmDocumentDeal", "DEAL"])
            }
        }
    }

    @Test(arguments: RateLimitResetStyle.allCases)
    func geotareasWritesTheResetEitherWay(style: RateLimitResetStyle) async throws {
        let clock = TestClock()
        try await GeotareasEmulator(now: clock.reader, variants: [style]).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let response = try await session.get(GeotareasSession.instances)
            let reset = try #require(response.headers[HTTPField.Name("X-RateLimit-Reset")!].flatMap(Int.init))
            let now = Int(clock.reader().timeIntervalSince1970)
            switch style {
            case .epoch: #expect(reset > now && reset <= now + 60)
            case .delta: #expect(reset > 0 && reset <= 60)
            }
        }
    }

    @Test func emulatorSetsRefuseWhatDoesNotExist() throws {
        let set = EmulatorSet()
        try set.setVariants(["cloudflare": ["listing": "first_page_cursor"], "geotareas": ["reset": "delta"]])
        #expect(set.emulators.first { $0.name == "cloudflare" }?.variants.current == ["listing": "first_page_cursor"])
        #expect(throws: EmulatorVariants.Unknown.self) { try set.setVariants(["nowhere": ["x": "y"]]) }
        #expect(throws: EmulatorVariants.Unknown.self) { try set.setVariants(["bitrix24": ["template_keys": "upper", "document_type": "xml"]]) }
        #expect(set.emulators.first { $0.name == "bitrix24" }?.variants.current["template_keys"] == "camel", "all or nothing")
    }
}
