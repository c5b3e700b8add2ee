import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct Bitrix24WorkflowTests {
    typealias F = Bitrix24Fixtures

    @Test func listsRunningInstancesNewestFirstInPagesOf50() async throws {
        try await Bitrix24Emulator(now: { TestClock.march15 }).makeApplication(port: 0).test(.router) { client in
            var firstPageIDs: [String] = []
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                #expect(response.status == .ok)
                let page = try F.page(response.body)
                #expect(page.rows.count == 50)
                #expect(page.total == 64)
                let modified = page.rows.compactMap { $0["MODIFIED"] as? String }
                #expect(modified.count == 50)
                #expect(modified == modified.sorted(by: >), "newest MODIFIED first")
                firstPageIDs = page.rows.compactMap { $0["ID"] as? String }
                let row = try #require(page.rows.first)
                let fields: Set = ["ID", "MODIFIED", "OWNED_UNTIL", "MODULE_ID", "ENTITY", "DOCUMENT_ID", "STARTED", "STARTED_BY", "TEMPLATE_ID"]
                #expect(Set(row.keys) == fields)
                #expect(page.rows.allSatisfy { ($0["STARTED"] as? String)?.hasSuffix("+03:00") == true })
                #expect(page.rows.allSatisfy { $0["TEMPLATE_ID"] is String && $0["STARTED_BY"] is String })
                #expect(page.rows.contains { $0["OWNED_UNTIL"] is NSNull }, "unlocked instances carry an explicit null")
                #expect(page.rows.contains { $0["OWNED_UNTIL"] is String })
                let id = try #require(row["ID"] as? String)
                #expect(id.wholeMatch(of: /[0-9a-f]{13}[0-9]\.[0-9]{8}/) != nil, "uniqid-style id, got \(id)")
            }
            try await client.execute(uri: "/v1/workflows?offset=50", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(page.rows.count == 14)
                #expect(page.total == 64)
                let ids = page.rows.compactMap { $0["ID"] as? String }
                #expect(Set(ids).isDisjoint(with: firstPageIDs))
            }
            try await client.execute(uri: "/v1/workflows?offset=100", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(page.rows.isEmpty)
                #expect(page.total == 64)
            }
        }
    }

    @Test func filtersByTemplateAndStarter() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/v1/workflows?templateId=713", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(!page.rows.isEmpty)
                #expect(page.total == page.rows.count)
                #expect(page.rows.allSatisfy { $0["TEMPLATE_ID"] as? String == "713" && $0["ENTITY"] as? String == "CCrmDocumentDeal" })
                #expect(page.rows.allSatisfy { ($0["DOCUMENT_ID"] as? String)?.hasPrefix("DEAL_") == true })
            }
            try await client.execute(uri: "/v1/workflows?startedBy=0&templateId=714", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(page.rows.allSatisfy { $0["STARTED_BY"] as? String == "0" && $0["TEMPLATE_ID"] as? String == "714" })
            }
            try await client.execute(uri: "/v1/workflows?templateId=9999", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(page.rows.isEmpty)
                #expect(page.total == 0)
            }
            try await client.execute(uri: "/v1/workflows?offset=abc", method: .get, headers: F.personal) { response in
                #expect(response.status == .badRequest)
                let error = try F.error(response.body)
                #expect(error.code == "VALIDATION_ERROR")
            }
        }
    }

    @Test func startAddsARunningInstance() async throws {
        let clock = TestClock(TestClock.march15)
        try await Bitrix24Emulator(now: { clock.now }).makeApplication(port: 0).test(.router) { client in
            clock.advance(seconds: 60)
            var workflowID = ""
            try await client.execute(uri: "/v1/workflows/start", method: .post, headers: F.personal, body: F.startBody()) { response in
                #expect(response.status == .created)
                let object = try jsonObject(response.body)
                #expect(object["success"] as? Bool == true)
                let data = try #require(object["data"] as? [String: Any])
                workflowID = try #require(data["workflowId"] as? String)
            }
            #expect(workflowID.hasPrefix("69b6ad8c"), "uniqid seconds are the start time, 2026-03-15T13:01:00Z")
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(page.total == 65)
                let first = try #require(page.rows.first)
                #expect(first["ID"] as? String == workflowID)
                #expect(first["DOCUMENT_ID"] as? String == "DEAL_5141")
                #expect(first["ENTITY"] as? String == "CCrmDocumentDeal")
                #expect(first["MODULE_ID"] as? String == "crm")
                #expect(first["TEMPLATE_ID"] as? String == "713")
                #expect(first["STARTED_BY"] as? String == "1")
                #expect(first["STARTED"] as? String == "2026-03-15T16:01:00+03:00")
                #expect(first["MODIFIED"] as? String == "2026-03-15T16:01:00+03:00")
                #expect(first["OWNED_UNTIL"] is NSNull)
            }
        }
    }

    @Test func startRejectsWhatTheDocsRule() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            let cases: [(ByteBuffer, HTTPResponse.Status, String)] = [
                (F.startBody(entityId: "999999"), .notFound, "ENTITY_NOT_FOUND"),
                (F.startBody(templateId: "\"713\""), .badRequest, "VALIDATION_ERROR"),
                (F.startBody(entityType: "\"invoice\""), .badRequest, "VALIDATION_ERROR"),
                (F.startBody(entityId: "51.5"), .badRequest, "VALIDATION_ERROR"),
                (ByteBuffer(string: "not json"), .badRequest, "VALIDATION_ERROR"),
                (ByteBuffer(string: #"{"templateId":713,"entityType":"deal","entityId":5141,"parameters":[1]}"#), .badRequest, "VALIDATION_ERROR"),
                (F.startBody(templateId: "4242"), .unprocessableContent, "BITRIX_ERROR"),
                (F.startBody(templateId: "714"), .unprocessableContent, "BITRIX_ERROR"),  // a lead template on a deal
                (F.startBody(templateId: "718"), .unprocessableContent, "BITRIX_ERROR"),  // a lists template
            ]
            for (body, status, code) in cases {
                try await client.execute(uri: "/v1/workflows/start", method: .post, headers: F.personal, body: body) { response in
                    #expect(response.status == status, "\(String(buffer: body))")
                    let error = try F.error(response.body)
                    #expect(error.code == code, "\(String(buffer: body))")
                }
            }
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(page.total == 64, "nothing was started")
            }
        }
    }

    @Test func terminateRemovesTheInstanceAndASecondTerminateIsNotFound() async throws {
        try await Bitrix24Emulator().makeApplication(port: 0).test(.router) { client in
            let id = try await Self.instanceID(client, locked: false)
            try await client.execute(uri: "/v1/workflows/\(id)?status=Cancelled%20by%20customer", method: .delete, headers: F.personal) { response in
                #expect(response.status == .noContent)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal) { response in
                let page = try F.page(response.body)
                #expect(page.total == 63)
                #expect(!page.rows.contains { $0["ID"] as? String == id })
            }
            try await client.execute(uri: "/v1/workflows/\(id)", method: .delete, headers: F.personal) { response in
                #expect(response.status == .notFound)
                let error = try F.error(response.body)
                #expect(error.code == "ENTITY_NOT_FOUND")
                #expect(error.message == "Workflow not found")
            }
            try await client.execute(uri: "/v1/workflows/69f0c2d5ade389.22457798", method: .delete, headers: F.personal) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func softTerminateWaitsForTheLockedStepButForceDoesNot() async throws {
        let clock = TestClock(TestClock.march15)
        try await Bitrix24Emulator(now: { clock.now }).makeApplication(port: 0).test(.router) { client in
            let locked = try await Self.lockedIDs(client)
            #expect(locked.count >= 2)
            try await client.execute(uri: "/v1/workflows/\(locked[0])", method: .delete, headers: F.personal) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/workflows/\(locked[1])?force=true", method: .delete, headers: F.personal) { response in
                #expect(response.status == .noContent)
            }
            var listed = try await Self.allIDs(client)
            #expect(listed.contains(locked[0]), "a soft terminate waits for the step holding the lock")
            #expect(!listed.contains(locked[1]), "force aborts at once")
            clock.advance(seconds: 181)  // the seeded locks end 180 s after start
            listed = try await Self.allIDs(client)
            #expect(!listed.contains(locked[0]))
            try await client.execute(uri: "/v1/workflows/\(locked[0])", method: .delete, headers: F.personal) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    static func allIDs(_ client: some TestClientProtocol) async throws -> [String] {
        var ids: [String] = []
        for offset in [0, 50] {
            let page = try await client.execute(uri: "/v1/workflows?offset=\(offset)", method: .get, headers: F.personal)
            ids += try F.page(page.body).rows.compactMap { $0["ID"] as? String }
        }
        return ids
    }

    static func lockedIDs(_ client: some TestClientProtocol) async throws -> [String] {
        let response = try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal)
        // Locked on a step right now, not the stuck one whose lock is long past.
        let rows = try F.page(response.body).rows.filter { ($0["OWNED_UNTIL"] as? String ?? "") > "2026-03-15T16:00:00+03:00" }
        return rows.compactMap { $0["ID"] as? String }
    }

    static func instanceID(_ client: some TestClientProtocol, locked: Bool) async throws -> String {
        let response = try await client.execute(uri: "/v1/workflows", method: .get, headers: F.personal)
        let row = try F.page(response.body).rows.first { ($0["OWNED_UNTIL"] is String) == locked }
        return try #require(row?["ID"] as? String)
    }
}
