import FlowgateCore
import FlowgateProviders
import Foundation
import Testing

@Suite struct PageMergeTests {
    func instance(_ connection: String, _ native: String, startedAt seconds: Double?) -> Instance {
        Instance(
            id: CanonicalID(connection: connection, native: native), provider: .geotareas, definition: .init(id: nil, name: nil),
            status: .running, providerStatus: "RUNNING", startedAt: seconds.map { Date(timeIntervalSince1970: $0) }
        )
    }

    /// A page whose positions are plain offsets from `offset`.
    func page(_ connection: String, _ starts: [Double?], offset: Int = 0, more: Bool) -> InstancePage {
        let items = starts.enumerated().map { index, start in
            InstancePage.Item(instance: instance(connection, "\(offset + index)", startedAt: start), after: .int(Int64(offset + index + 1)))
        }
        return InstancePage(items: items, end: more ? .int(Int64(offset + starts.count)) : nil)
    }

    @Test func mergesNewestFirstNullsLast() {
        let pages = [page("a", [50, 30, nil], more: false), page("b", [40, 35, 10], more: false)]
        let result = PageMerge.merge(pages, limit: 10)
        let order = result.taken.map { pages[$0.page].items[$0.item].instance.startedAt?.timeIntervalSince1970 }
        #expect(order == [50, 40, 35, 30, 10, nil])
    }

    @Test func continuationIsThePositionAfterTheLastItemTaken() {
        let pages = [page("a", [50, 30, 20], more: true), page("b", [40, 10], more: false)]
        let result = PageMerge.merge(pages, limit: 3)
        #expect(result.counts == [2, 1])
        #expect(PageMerge.continuation(of: pages[0], taking: 2, from: nil) == .at(.int(2)))
        #expect(PageMerge.continuation(of: pages[1], taking: 1, from: nil) == .at(.int(1)))
    }

    @Test func aListNotTakenFromContinuesWhereItBegan() {
        let late = page("b", [1, 0], offset: 4, more: true)
        #expect(PageMerge.continuation(of: late, taking: 0, from: .int(4)) == .at(.int(4)))
        #expect(PageMerge.continuation(of: page("b", [1], more: true), taking: 0, from: nil) == .fromStart)
    }

    @Test func aFullyTakenListEndsOrContinuesAtItsEnd() {
        #expect(PageMerge.continuation(of: page("a", [5, 4], more: false), taking: 2, from: nil) == .exhausted)
        #expect(PageMerge.continuation(of: page("a", [5, 4], more: true), taking: 2, from: nil) == .at(.int(2)))
        // Filtering upstream pages found nothing yet: continue after what was scanned.
        #expect(PageMerge.continuation(of: InstancePage(items: [], end: .int(250)), taking: 0, from: .int(0)) == .at(.int(250)))
    }

    /// Paging two lists through continuations sees every item exactly once, whatever the page size.
    @Test(arguments: [1, 2, 3, 7]) func pagingSeesEveryItemOnce(limit: Int) {
        let a: [Double?] = [90, 70, 70, 50, nil]
        let b: [Double?] = [95, 60, 20, 10, 5, 1]
        func fetch(_ starts: [Double?], _ connection: String, from offset: Int) -> InstancePage {
            let slice = Array(starts[offset...].prefix(limit))
            return page(connection, slice, offset: offset, more: offset + slice.count < starts.count)
        }
        var positions: [String: Int?] = ["a": 0, "b": 0]
        var seen: [String] = []
        while !positions.isEmpty {
            let names = positions.keys.sorted()
            let pages = names.map { fetch($0 == "a" ? a : b, $0, from: (positions[$0] ?? 0) ?? 0) }
            let result = PageMerge.merge(pages, limit: limit)
            seen += result.taken.map { pages[$0.page].items[$0.item].instance.id.description }
            for (index, name) in names.enumerated() {
                switch PageMerge.continuation(of: pages[index], taking: result.counts[index], from: .int(Int64((positions[name] ?? 0) ?? 0))) {
                case .at(.int(let offset)): positions[name] = Int(offset)
                case .fromStart: positions[name] = 0
                default: positions[name] = nil
                }
            }
        }
        #expect(seen.count == a.count + b.count)
        #expect(Set(seen).count == seen.count)
    }
}
