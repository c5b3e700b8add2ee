import FlowgateEmulators
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct GeotareasCatalogTests {
    @Test func definitionsListActiveByDefaultWithFiltersAndPaging() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let active = try await session.list("/apidev/v1/workflow/definitions")
            #expect(try active.meta.int("total") == 6)
            #expect(try active.items.allSatisfy { try $0.string("status") == "active" })
            let onboarding = try #require(try active.items.first { try $0.string("id") == "482938470192837465" })
            #expect(try onboarding.string("name") == "New Account Onboarding")
            #expect(try onboarding.string("entity_type") == "CUENTA")
            #expect(try onboarding.int("version") == 3)
            #expect(try onboarding.int("steps_count") == 3)
            #expect(try onboarding.int("triggers_count") == 2)
            #expect(try onboarding.string("created_at").wholeMatch(of: GeotareasInstanceTests.zoneless) != nil)
            let all = try await session.list("/apidev/v1/workflow/definitions?status=all")
            #expect(try all.meta.int("total") == 7)
            let inactive = try await session.list("/apidev/v1/workflow/definitions?status=inactive")
            #expect(try inactive.items.map { try $0.string("name") } == ["Legacy Survey Dispatch"])
            let search = try await session.list("/apidev/v1/workflow/definitions?search=inspection")
            #expect(try search.items.map { try $0.string("name") } == ["Field Visit Inspection"])
            let devices = try await session.list("/apidev/v1/workflow/definitions?entity_type=DISPOSITIVO")
            #expect(try devices.items.map { try $0.string("name") } == ["Device Maintenance Request"])
            let paged = try await session.list("/apidev/v1/workflow/definitions?limit=2&offset=4")
            #expect(paged.items.count == 2)
            #expect(try paged.meta.int("total") == 6)
            let noDescription = try #require(try all.items.first { try $0.string("name") == "Expense Reimbursement" })
            #expect(noDescription.isNull("description"))
            let bad = try GeotareasFailure(try await session.get("/apidev/v1/workflow/definitions?status=enabled"))
            #expect(bad.code == "VALIDATION_ERROR")
            let detail = try await session.data("/apidev/v1/workflow/definitions/482938470192837466")
            #expect(try detail.string("name") == "Field Visit Inspection")
            #expect(try detail.array("steps").map { try $0.string("name") }.first == "Assign Technician")
            #expect(try GeotareasFailure(try await session.get("/apidev/v1/workflow/definitions/1")).code == "NOT_FOUND")
        }
    }

    @Test func tasksListWithStatusDefinitionAndOverdueFilters() async throws {
        try await GeotareasEmulator(now: TestClock().reader).makeApplication(port: 0).test(.router) { client in
            let session = try await GeotareasSession.login(client)
            let all = try await session.list("/apidev/v1/workflow/tasks?limit=100")
            #expect(try all.meta.int("total") > 36)
            let first = try #require(all.items.first)
            #expect(
                first.keys == [
                    "id", "instance_id", "workflow_name", "step_name", "status", "assigned_to_user", "assigned_to_group", "entity", "due_date",
                    "escalated", "created_at",
                ]
            )
            for item in all.items {
                #expect(item.isNull("assigned_to_user") != item.isNull("assigned_to_group"), "a user or a group, never both")
                #expect(try item.object("entity").string("type").isEmpty == false)
            }
            let example = try #require(
                try all.items.first { try $0.string("instance_id") == GeotareasSession.example && $0.string("status") == "IN_PROGRESS" })
            #expect(try example.object("assigned_to_group").string("name") == "Sales Team")
            #expect(try example.string("workflow_name") == "New Account Onboarding")
            #expect(try example.object("entity").string("label") == "Acme Corp")
            let pending = try await session.list("/apidev/v1/workflow/tasks?status=PENDING&limit=100")
            #expect(try pending.items.allSatisfy { try $0.string("status") == "PENDING" })
            let overdue = try await session.list("/apidev/v1/workflow/tasks?overdue_only=true&limit=100")
            #expect(!overdue.items.isEmpty, "the seed has overdue tasks")
            for item in overdue.items {
                #expect(try item.string("status") != "COMPLETED")
                #expect(try item.string("due_date") < "2026-03-20T12:00:00")
            }
            let devices = try await session.list("/apidev/v1/workflow/tasks?definition_id=482938470192837468&limit=100")
            #expect(try devices.items.allSatisfy { try $0.string("workflow_name") == "Device Maintenance Request" })
            #expect(try GeotareasFailure(try await session.get("/apidev/v1/workflow/tasks?overdue_only=maybe")).code == "VALIDATION_ERROR")
            #expect(try GeotareasFailure(try await session.get("/apidev/v1/workflow/tasks?status=DONE")).code == "VALIDATION_ERROR")
        }
    }
}
