import Foundation

/// The demo portal: seven templates, CRM records to start them on, 64 running instances (more than one
/// 50-row page) and a few finished ones. Everything is placed relative to the clock at start-up and
/// drawn from a fixed-seed generator, so a fixed clock gives the same portal every time.
struct Bitrix24Seed {
    var templates: [Bitrix24Template]
    var documents: [Bitrix24EntityType: ClosedRange<Int>]
    var instances: [Bitrix24Instance]
    var ids: Bitrix24IDGenerator

    static let runningCount = 64
    static let finishedCount = 8

    init(now: Date) {
        let day: TimeInterval = 86_400
        templates = [
            .init(
                id: 713, name: "Deal approval", moduleID: "crm", entity: "CCrmDocumentDeal", documentType: "DEAL",
                autoExecute: 0, modified: now - 41 * day, userID: "1"),
            .init(
                id: 714, name: "Lead qualification", moduleID: "crm", entity: "CCrmDocumentLead", documentType: "LEAD",
                autoExecute: 1, modified: now - 63 * day, userID: "1"),
            .init(
                id: 715, name: "Contract signing", moduleID: "crm", entity: "CCrmDocumentDeal", documentType: "DEAL",
                autoExecute: 0, modified: now - 12 * day, userID: "7"),
            .init(
                id: 716, name: "Contact data verification", moduleID: "crm", entity: "CCrmDocumentContact", documentType: "CONTACT",
                autoExecute: 2, modified: now - 90 * day, userID: "1"),
            .init(
                id: 717, name: "Company KYC check", moduleID: "crm", entity: "CCrmDocumentCompany", documentType: "COMPANY",
                autoExecute: 1, modified: now - 30 * day, userID: "12"),
            // Not CRM: visible in the template list, but the facade's start endpoint cannot target them.
            .init(
                id: 718, name: "Purchase request", moduleID: "lists", entity: "BizprocDocument", documentType: "iblock_42",
                autoExecute: 1, modified: now - 120 * day, userID: "1"),
            .init(
                id: 719, name: "Document review", moduleID: "disk", entity: "Bitrix\\Disk\\BizProcDocument", documentType: "STORAGE_1",
                autoExecute: 0, modified: now - 200 * day, userID: "7"),
        ]
        documents = [.deal: 5101...5199, .lead: 801...880, .contact: 301...380, .company: 41...79]
        ids = Bitrix24IDGenerator()
        instances = []

        var random = SeedRandom()
        let starters = ["0", "1", "7", "12", "25", "1", "0", "33"]
        let total = Self.runningCount + Self.finishedCount
        // Oldest first, so the uniqid-style ids grow with STARTED as real ones do.
        for index in 0..<total {
            let started = now - Double(total - index) * 47 * 60 - Double(random.next(1_200_000_000)) / 1_000_000
            let age = now.timeIntervalSince(started)
            let modified = started + Double(random.next(Int(min(age, 6 * 3600))))
            let template = index % 13 == 5 ? templates[5] : templates[index % 5]
            var instance = Bitrix24Instance(
                id: ids.next(at: started), templateID: template.id, moduleID: template.moduleID, entity: template.entity,
                documentID: Self.documentID(for: template, random: &random), startedBy: starters[index % starters.count],
                started: started, modified: modified, ownedUntil: nil, parameters: [:], state: .running
            )
            if index % 11 == 3 { instance.ownedUntil = now + 180 }  // executing a step right now
            if index == 20 { instance.ownedUntil = now - 47 * 60 }  // stuck: the lock is long past
            // Every ninth is already over, so DELETE and the list must both ignore it.
            if index % 9 == 4 { instance.state = .finished(reason: index % 2 == 0 ? "Approved" : nil) }
            instances.append(instance)
        }
    }

    private static func documentID(for template: Bitrix24Template, random: inout SeedRandom) -> String {
        switch template.documentType {
        case "DEAL": "DEAL_\(5101 + random.next(99))"
        case "LEAD": "LEAD_\(801 + random.next(80))"
        case "CONTACT": "CONTACT_\(301 + random.next(80))"
        case "COMPANY": "COMPANY_\(41 + random.next(39))"
        // Native lists documents are addressed by the element id alone.
        default: String(700 + random.next(200))
        }
    }
}

/// A tiny fixed-seed generator: the same demo data on every run.
private struct SeedRandom {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func next(_ bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}
