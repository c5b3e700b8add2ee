import FlowgateCore
import Foundation
import Testing

@testable import FlowgateProviders

/// Bitrix24 templates and workflows in either key style and either document shape.
struct Bitrix24MappingTests {
    @Test(arguments: [
        #"{"id":713,"name":"Deal approval","moduleId":"crm","entity":"CCrmDocumentDeal","documentType":"DEAL"}"#,
        #"{"ID":"713","NAME":"Deal approval","MODULE_ID":"crm","ENTITY":"CCrmDocumentDeal","DOCUMENT_TYPE":"DEAL"}"#,
        #"{"id":713,"name":"Deal approval","documentType":["crm","CCrmDocumentDeal","DEAL"]}"#,
        #"{"ID":713,"NAME":"Deal approval","DOCUMENT_TYPE":["crm","CCrmDocumentDeal","DEAL"],"MODULE_ID":"crm"}"#,
        #"{"id":"713","name":"Deal approval","document_type":"DEAL","entity":"CCrmDocumentDeal"}"#,
    ])
    func templatesInEveryShape(text: String) throws {
        let drift = DriftRecorder()
        let mapping = Bitrix24Mapping(connection: drift.connection(.bitrix24, name: "b24"))
        let definition = try mapping.definition(json(text), at: "data[0]", includeRaw: false)
        #expect(definition.id.description == "b24:713" && definition.name == "Deal approval")
        #expect(definition.startable && definition.entityType == "deal")
        #expect(drift.reports.isEmpty)
    }

    @Test func nonCRMTemplatesAreListedButNotStartable() throws {
        let drift = DriftRecorder()
        let mapping = Bitrix24Mapping(connection: drift.connection(.bitrix24, name: "b24"))
        let list = try mapping.definition(
            json(#"{"ID":9,"DOCUMENT_TYPE":["lists","BizprocDocument","iblock_22"]}"#), at: "data[0]", includeRaw: false)
        #expect(!list.startable && list.entityType == "iblock_22" && list.name == nil)
        let odd = try mapping.definition(json(#"{"id":10,"name":"X","documentType":{"type":"DEAL"}}"#), at: "data[0]", includeRaw: false)
        #expect(!odd.startable && odd.entityType == nil)
        #expect(drift.reports == ["data[].DOCUMENT_TYPE: object"])
        #expect(throws: GatewayError.self) { try mapping.definition(json(#"{"name":"no id"}"#), at: "data[0]", includeRaw: false) }
    }

    @Test(arguments: [#""DEAL_5141""#, #"["crm","CCrmDocumentDeal","DEAL_5141"]"#])
    func workflowDocumentIdInEitherShape(document: String) throws {
        let drift = DriftRecorder()
        let mapping = Bitrix24Mapping(connection: drift.connection(.bitrix24, name: "b24"))
        let text = """
            {"ID":"69f0c2d5ade389.22457798","MODIFIED":"2026-04-28T17:23:17+03:00","STARTED":"2026-04-28T17:20:00.117+03:00",
             "STARTED_BY":1,"TEMPLATE_ID":713,"ENTITY":"CCrmDocumentDeal","DOCUMENT_ID":\(document)}
            """
        let instance = try mapping.instance(json(text), at: "data[0]", includeRaw: false)
        #expect(instance.entity == .init(type: "deal", id: "5141"))
        #expect(instance.startedAt.map(Timestamp.format) == "2026-04-28T14:20:00.117Z" && instance.startedBy == "1")
        #expect(instance.definition.id == "b24:713")
        #expect(drift.reports.isEmpty)
    }

    @Test func aWorkflowWithoutItsOptionalFieldsIsStillListed() throws {
        let drift = DriftRecorder()
        let mapping = Bitrix24Mapping(connection: drift.connection(.bitrix24, name: "b24"))
        let instance = try mapping.instance(json(#"{"id":"a.1","STARTED":false,"DOCUMENT_ID":7}"#), at: "data[0]", includeRaw: false)
        #expect(instance.id.description == "b24:a.1" && instance.startedAt == nil && instance.entity == nil && instance.definition.id == nil)
        #expect(drift.reports == ["data[].STARTED: boolean", "data[].DOCUMENT_ID: number"])
    }
}
