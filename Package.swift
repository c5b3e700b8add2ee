// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "flowgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flowgate", targets: ["flowgate"]),
        .library(name: "FlowgateServer", targets: ["FlowgateServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "FlowgateCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlowgateProviders",
            dependencies: [
                "FlowgateCore"
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlowgateServer",
            dependencies: [
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                "FlowgateCore",
                "FlowgateProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "FlowgateRouteFiles",
            ],
            swiftSettings: swiftSettings
        ),
        // The route tables and the canonical schema live in Routes/ (README: Layout) and ship as resources.
        .target(
            name: "FlowgateRouteFiles",
            path: "Routes",
            resources: [
                .copy("openapi.yaml"), .copy("bitrix24.yaml"), .copy("workingflow.yaml"), .copy("geotareas.yaml"),
                .copy("cloudflare.yaml"),
            ]
        ),
        // Config/demo.yaml, the embedded default of `flowgate demo` and `flowgate serve` (any directory).
        .target(
            name: "FlowgateDemoConfig",
            path: "Config",
            exclude: ["example.yaml"],
            resources: [.copy("demo.yaml")]
        ),
        .target(
            name: "FlowgateEmulators",
            dependencies: [
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "flowgate",
            dependencies: [
                "FlowgateCore",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "FlowgateServer",
                "FlowgateEmulators",
                "FlowgateDemoConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The benchmarks' baselines (Benchmarks/run.sh): bare Hummingbird, Hummingbird + AsyncHTTPClient, bare NIO;
        // kept out of the `flowgate` binary.
        .executableTarget(
            name: "bench-responder",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/Responder",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlowgateCoreTests",
            dependencies: ["FlowgateCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlowgateProvidersTests",
            dependencies: ["FlowgateProviders", "FlowgateCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlowgateServerTests",
            dependencies: [
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                "FlowgateServer",
                "FlowgateEmulators",
                "FlowgateProviders",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "FlowgateCore",
                "FlowgateRouteFiles",
            ],
            // Started by the cluster tests as a process (a database that goes away and comes back).
            exclude: ["Support/tcp-relay.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlowgateEmulatorsTests",
            dependencies: [
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "FlowgateEmulators",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// libFuzzer targets (Fuzz/, run by scripts/fuzz.sh): only with FLOWGATE_FUZZ=1, so a normal build,
// the tests and the product never contain them. Flowgate's own modules are compiled with coverage
// instrumentation and AddressSanitizer; the dependencies keep their normal build, so switching only
// recompiles Flowgate's modules, not the whole graph.
if Context.environment["FLOWGATE_FUZZ"] == "1" {
    let sanitizers: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
    for target in package.targets where ["FlowgateCore", "FlowgateProviders", "FlowgateServer"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + sanitizers
    }
    package.targets.append(.target(name: "CLibFuzzer", path: "Fuzz/Sources/CLibFuzzer"))
    package.targets.append(
        .executableTarget(
            name: "FlowgateFuzz",
            dependencies: [
                "CLibFuzzer",
                "FlowgateCore",
                "FlowgateServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Fuzz/Sources/FlowgateFuzz",
            swiftSettings: swiftSettings + sanitizers,
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]
        )
    )
    package.products.append(.executable(name: "flowgate-fuzz", targets: ["FlowgateFuzz"]))
}
