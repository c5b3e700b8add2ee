import AsyncHTTPClient
import Crypto
import FlowgateServer
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The `flowgate` command as a user runs it: the built binary in a child process.
@Suite(.serialized) struct CLITests {
    /// Runs `flowgate arguments` in `directory` to completion; its exit status and output.
    func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32?, output: String) {
        let work = try temporaryDirectory()
        let log = work.appendingPathComponent("out.log")
        let child = try ChildProcess(try ClusterFleet.gatewayBinary().path, arguments, log: log.path, directory: (directory ?? work).path)
        let status = child.waitForExit()
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowgate-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func hashKeyPrintsAFreshKeyAndItsSHA256() throws {
        let (status, output) = try run(["hash-key"])
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        let key = try #require(lines.first { $0.hasPrefix("key:  ") }).dropFirst(6)
        let hash = try #require(lines.first { $0.hasPrefix("hash: ") }).dropFirst(6)
        #expect(key.hasPrefix("fgk_") && key.utf8.count >= 40, "\(key)")
        let digest = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(hash == "sha256:\(digest)")
        let (_, again) = try run(["hash-key"])
        #expect(!again.contains(String(key)), "every key is new")
    }

    @Test func checkConfigSaysOKAndExitsZeroForAGoodFile() throws {
        let work = try temporaryDirectory()
        let file = work.appendingPathComponent("good.yaml")
        let yaml = """
            tenants:
              - name: acme
                keys:
                  - {id: ci, hash: "sha256:\(String(repeating: "ab", count: 32))", scopes: [read]}
                connections:
                  - {name: wf, provider: workingflow, base_url: "http://127.0.0.1:9102", credentials: {api_key: wf_x}}
            """
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try run(["check-config", file.path])
        #expect(status == 0)
        #expect(output == "\(file.path): OK (1 tenant(s), 1 connection(s))\n")
    }

    @Test func checkConfigListsEveryProblemWithItsPathAndExitsOne() throws {
        let work = try temporaryDirectory()
        let file = work.appendingPathComponent("bad.yaml")
        let yaml = """
            server:
              port: 99999
            tenants:
              - name: acme
                keys:
                  - {id: ci, hash: "md5:abc", scopes: [read]}
                connections:
                  - {name: wf, provider: workingflow, base_url: "ftp://x", credentials: {api_key: wf_x}}
            """
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try run(["check-config", file.path])
        #expect(status == 1)
        #expect(output.contains("server.port"), "\(output)")
        #expect(output.contains("tenants[0].keys[0].hash"), "\(output)")
        #expect(output.contains("tenants[0].connections[0].base_url"), "\(output)")
        let (missingStatus, missing) = try run(["check-config", work.appendingPathComponent("absent.yaml").path])
        #expect(missingStatus == 1)
        #expect(missing.contains("absent.yaml"), "\(missing)")
    }

    /// The demo needs no checkout: its config is inside the binary, and its banner is written at once
    /// although stdout is a file here, not a terminal.
    @Test func theDemoStartsFromAnyDirectoryAndPrintsItsBannerAtOnce() async throws {
        let work = try temporaryDirectory()
        let log = work.appendingPathComponent("demo.log")
        let demo = try ChildProcess(try ClusterFleet.gatewayBinary().path, ["demo", "--log-level", "warning"], log: log.path, directory: work.path)
        defer { demo.stop() }
        let deadline = ContinuousClock.now + .seconds(30)
        var banner = ""
        while ContinuousClock.now < deadline {
            banner = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if banner.contains("Ctrl-C stops everything") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(banner.contains("Flowgate demo is running at http://127.0.0.1:8080"), "\(banner)")
        #expect(banner.contains("http://127.0.0.1:9103/_emulator/faults"), "the fault example names the Geotareas emulator's port from the config")
        var request = HTTPClientRequest(url: "http://127.0.0.1:8080/v1/connections")
        request.headers.add(name: "Authorization", value: "Bearer fgk_demo_local_only")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.status == .ok)
        let body = try await response.body.collect(upTo: 1 << 20)
        #expect(String(buffer: body).contains(#""name":"geo""#))
    }
}
