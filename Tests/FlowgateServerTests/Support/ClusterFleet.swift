import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A fleet as production runs it, on loopback: `replicas` gateway processes (the built `flowgate`
/// binary, `serve`) sharing one PostgreSQL store, behind nginx balancing round-robin.
struct ClusterFleet: Sendable {
    let gatewayPorts: [Int]
    let balancerPort: Int
    let http: HTTPClient

    var balancer: String { "http://127.0.0.1:\(balancerPort)" }

    /// Starts the fleet with the gateway config `config(port)`, runs `body`, stops everything.
    static func run<T: Sendable>(
        replicas: Int = 3, config: @Sendable (_ port: Int) -> String, _ body: @Sendable (ClusterFleet) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowgate-fleet-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var processes: [ChildProcess] = []
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 1000)
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        func stopAll() {
            for process in processes { process.stop() }
            // The replicas log at warning and above: whatever they said belongs in the test's output.
            for index in 0..<replicas {
                let log = directory.appendingPathComponent("gateway-\(index).log")
                if let text = try? String(contentsOf: log, encoding: .utf8), !text.isEmpty {
                    print("gateway \(index) said:\n\(text)")
                }
            }
        }
        do {
            let binary = try gatewayBinary()
            let ports = try (0..<replicas).map { _ in try freePort() }
            for (index, port) in ports.enumerated() {
                let file = directory.appendingPathComponent("gateway-\(index).yaml")
                try config(port).write(to: file, atomically: true, encoding: .utf8)
                processes.append(
                    try launch(
                        binary, ["serve", "--config", file.path, "--log-level", "warning"],
                        log: directory.appendingPathComponent("gateway-\(index).log")))
            }
            let balancerPort = try freePort()
            processes.append(try startBalancer(upstreams: ports, port: balancerPort, directory: directory))
            let fleet = ClusterFleet(gatewayPorts: ports, balancerPort: balancerPort, http: http)
            for port in ports { try await fleet.waitUntilReady("http://127.0.0.1:\(port)/readyz") }
            try await fleet.waitUntilReady("\(fleet.balancer)/readyz")
            let value = try await body(fleet)
            stopAll()
            try await http.shutdown()
            try? FileManager.default.removeItem(at: directory)
            return value
        } catch {
            stopAll()
            try? await http.shutdown()
            // Keep the logs of a failed run where a developer can read them.
            Issue.record("fleet logs kept in \(directory.path)")
            throw error
        }
    }

    /// GET through the balancer (or `base`), with the test key; answers status, body and headers.
    func get(
        _ path: String, base: String? = nil, headers: [(String, String)] = []
    ) async throws -> (status: Int, body: String, headers: [String: String]) {
        var request = HTTPClientRequest(url: (base ?? balancer) + path)
        request.headers.add(name: "Authorization", value: "Bearer \(ClusterFleet.key)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 22))
        let fields = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        return (Int(response.status.code), body, fields)
    }

    /// Requests each replica answered, from its own `/metrics`.
    func requestsAnswered(byReplica index: Int) async throws -> Double {
        let (_, text, _) = try await get("/metrics", base: "http://127.0.0.1:\(gatewayPorts[index])")
        return text.split(separator: "\n")
            .filter { $0.hasPrefix("flowgate_http_requests_total{") && !$0.contains("route=\"/metrics\"") && !$0.contains("route=\"/readyz\"") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    /// The demo key of Config/demo.yaml; its hash is what the fleet's config lists.
    static let key = "fgk_demo_local_only"
    static let keyHash = "sha256:d55f1feec48a28db4ad1329c8085482ae9b82089e62bd34e3099e091b0cc4c9b"

    private func waitUntilReady(_ url: String) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let response = try? await http.execute(HTTPClientRequest(url: url), timeout: .seconds(2)), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FleetError("\(url) never became ready")
    }

    // MARK: - Processes

    struct FleetError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The `flowgate` binary `swift build` put next to the test bundle.
    static func gatewayBinary() throws -> URL {
        let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [buildDirectory, buildDirectory.deletingLastPathComponent()] {
            let binary = candidate.appendingPathComponent("flowgate")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../.build/debug/flowgate")
            .standardized
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw FleetError("no flowgate binary next to the tests: run `swift build` first (.ci/run does)")
        }
        return fallback
    }

    static func nginxBinary() -> String? {
        let paths = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"]
        return paths.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func launch(_ binary: URL, _ arguments: [String], log: URL) throws -> ChildProcess {
        try ChildProcess(binary.path, arguments, log: log.path)
    }

    /// nginx as deploy/nginx/nginx.conf balances: round-robin, keep-alive to the replicas.
    private static func startBalancer(upstreams: [Int], port: Int, directory: URL) throws -> ChildProcess {
        guard let nginx = nginxBinary() else { throw FleetError("nginx is not installed (.ci/run installs it)") }
        let servers = upstreams.map { "    server 127.0.0.1:\($0);" }.joined(separator: "\n")
        let temp = directory.path
        let config = """
            worker_processes 1;
            daemon off;
            pid \(temp)/nginx.pid;
            error_log \(temp)/nginx-error.log warn;
            events { worker_connections 8192; }
            http {
              access_log off;
              client_body_temp_path \(temp)/body;
              proxy_temp_path \(temp)/proxy;
              fastcgi_temp_path \(temp)/fastcgi;
              uwsgi_temp_path \(temp)/uwsgi;
              scgi_temp_path \(temp)/scgi;
              upstream flowgate {
            \(servers)
                keepalive 64;
              }
              server {
                listen 127.0.0.1:\(port) backlog=4096;
                location / {
                  proxy_pass http://flowgate;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_read_timeout 60s;
                }
              }
            }
            """
        let file = directory.appendingPathComponent("nginx.conf")
        try config.write(to: file, atomically: true, encoding: .utf8)
        return try launch(URL(fileURLWithPath: nginx), ["-p", temp, "-c", file.path], log: directory.appendingPathComponent("nginx.log"))
    }

    /// 127.0.0.1:`port` as the socket calls take it.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FleetError("socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw FleetError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw FleetError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
