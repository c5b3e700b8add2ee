import FlowgateCore
import Foundation
import Synchronization
import Testing

@testable import FlowgateProviders

/// Offset paging with a local filter: positions continue exactly after what was taken or scanned.
@Suite struct OffsetScanTests {
    /// 23 instances in pages of 5; even-numbered ones are "admitted".
    static func fetch(_ offset: Int) -> OffsetScan.Page {
        let ids = Array(offset..<min(offset + 5, 23))
        let instances = ids.map { id in
            Instance(
                id: CanonicalID(connection: "c", native: String(id)), provider: .bitrix24, definition: .init(id: nil, name: nil), status: .running,
                providerStatus: nil)
        }
        return OffsetScan.Page(instances: instances, total: 23)
    }

    static func admitsEven(_ instance: Instance) -> Bool { (Int(instance.id.native) ?? 1) % 2 == 0 }

    @Test func aFullPageEndsRightAfterItsLastItem() async throws {
        let page = try await OffsetScan.run(from: 0, limit: 3, maxPages: 5, admits: Self.admitsEven) { Self.fetch($0) }
        #expect(page.items.map(\.instance.id.native) == ["0", "2", "4"])
        #expect(page.items.map(\.after) == [.int(1), .int(3), .int(5)])
        #expect(page.end == .int(5))
        #expect(!page.bounded)
    }

    @Test func aBoundedScanEndsWhereItStopped() async throws {
        let page = try await OffsetScan.run(from: 0, limit: 50, maxPages: 2, admits: Self.admitsEven) { Self.fetch($0) }
        #expect(page.items.count == 5)
        #expect(page.end == .int(10))
        #expect(page.bounded, "the answer's meta.bounded names the connection")
    }

    @Test func theLastItemOfTheListHasNothingAfterIt() async throws {
        let page = try await OffsetScan.run(from: 20, limit: 50, maxPages: 5, admits: { _ in true }) { Self.fetch($0) }
        #expect(page.items.map(\.instance.id.native) == ["20", "21", "22"])
        #expect(page.items.last?.after == nil)
        #expect(page.end == nil)
    }

    /// The documented total ends the scan without asking for a page past it; short pages before it
    /// do not end it (the upstream's page size is not the gateway's to guess).
    @Test func theTotalEndsTheScanNotAShortPage() async throws {
        let asked = Mutex<[Int]>([])
        let page = try await OffsetScan.run(from: 0, limit: 50, maxPages: 10, admits: { _ in true }) { offset in
            asked.withLock { $0.append(offset) }
            let ids = Array(offset..<min(offset + 3, 8))  // pages of 3, shorter than any guess
            return OffsetScan.Page(instances: ids.map(Self.instance), total: 8)
        }
        #expect(page.items.count == 8 && page.end == nil && page.items.last?.after == nil)
        #expect(asked.withLock { $0 } == [0, 3, 6], "no call past the total")
    }

    /// Without a total (drift) the scan reads on until an empty page.
    @Test func withoutATotalAnEmptyPageEndsTheScan() async throws {
        let page = try await OffsetScan.run(from: 0, limit: 50, maxPages: 10, admits: { _ in true }) { offset in
            OffsetScan.Page(instances: Array(offset..<min(offset + 3, 5)).map(Self.instance), total: nil)
        }
        #expect(page.items.count == 5 && page.end == nil)
    }

    static func instance(_ id: Int) -> Instance {
        Instance(
            id: CanonicalID(connection: "c", native: String(id)), provider: .bitrix24, definition: .init(id: nil, name: nil), status: .running,
            providerStatus: nil)
    }

    @Test func positionsOtherThanOffsetsAreRefused() throws {
        #expect(try OffsetScan.offset(nil) == 0)
        #expect(try OffsetScan.offset(.int(40)) == 40)
        #expect(throws: GatewayError.self) { try OffsetScan.offset(.string("40")) }
        #expect(throws: GatewayError.self) { try OffsetScan.offset(.int(-1)) }
    }

    @Test func statusWordsMapBothWays() {
        #expect(GeotareasStatus.instance("ERROR") == .failed)
        #expect(GeotareasStatus.instance("PAUSED_BY_ADMIN") == .unknown)
        #expect(GeotareasStatus.words(for: [.running, .failed, .waiting]) == ["ERROR", "RUNNING"])
        #expect(GeotareasStatus.words(for: [.queued, .paused]).isEmpty)
        #expect(GeotareasStatus.task("IN_PROGRESS") == .pending)
    }
}
