// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Bursar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bursar", targets: ["bursar"]),
        .executable(name: "bursard", targets: ["bursard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Operations (issue 14): HTTP health and metrics, metrics API, Prometheus text, subprocesses.
        // Hummingbird without its default traits: no swift-configuration in the build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        // Property tests for codecs and rules (Swift Testing); test targets only.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // RFC 4180 CSV reading (quoted fields with line breaks) for the imports; see Sources/Formats.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // The officers' console (issue 24): server-rendered HTML templates.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "Postgres", dependencies: ["CLibPQ"], swiftSettings: strict),
        .target(
            name: "JobQueue",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ], swiftSettings: strict),
        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .target(name: "Formats", dependencies: [.product(name: "CSV", package: "CSV.swift")], swiftSettings: strict),
        .target(name: "Screening", dependencies: ["Formats", "Banking"], swiftSettings: strict),
        // Zengin bank file, kana and code data (issue 25): pure, no database.
        .target(name: "Banking", dependencies: ["Formats"], swiftSettings: strict),
        .target(name: "Partners", dependencies: ["Screening"], swiftSettings: strict),
        .target(name: "Lifecycle", dependencies: ["Screening"], swiftSettings: strict),
        .target(name: "Intake", dependencies: ["Formats", "Screening"], swiftSettings: strict),
        .target(
            name: "Store",
            dependencies: [
                "CCrypto", "Postgres", "JobQueue", "Screening", "Partners", "Lifecycle", "Intake", "Banking",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ], swiftSettings: strict),
        .target(
            name: "History", dependencies: ["Store", "Screening", "Partners", "Formats", "Postgres"],
            swiftSettings: strict),
        // The officers' console (issue 24): HTML over the same Store as the CLI.
        .target(
            name: "Console",
            dependencies: [
                "Store", "History", "Screening", "Lifecycle", "Partners", "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .target(
            name: "Workers",
            dependencies: [
                "Store", "JobQueue", "Screening", "Partners", "Lifecycle",
                .product(name: "Logging", package: "swift-log"),
            ], path: "Workers",
            swiftSettings: strict),
        // Reading, validating and storing a batch (`bursar submit`, `bench pipeline`).
        .target(
            name: "Submission", dependencies: ["Store", "Intake", "Screening", "Formats", "Postgres"],
            swiftSettings: strict),
        // The measurements behind `bursar bench …`; BursarApp holds only their commands.
        .target(
            name: "Benchmarks",
            dependencies: [
                "Submission", "Workers", "Store", "JobQueue", "History", "Intake", "Screening", "Partners", "Formats",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .target(
            name: "BursarApp",
            dependencies: [
                "Workers", "Store", "Postgres", "Telemetry", "Intake", "Formats", "Banking", "History", "Console",
                "Submission", "Benchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .executableTarget(name: "bursar", dependencies: ["BursarApp"], swiftSettings: strict),
        .executableTarget(name: "bursard", dependencies: ["BursarApp"], swiftSettings: strict),
        .testTarget(
            name: "ScreeningTests",
            dependencies: [
                "Screening", "Partners",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ], swiftSettings: strict),
        .testTarget(
            name: "FormatsTests",
            dependencies: [
                "Formats",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ], swiftSettings: strict),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "Formats",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ], swiftSettings: strict),
        .testTarget(
            name: "BankingTests",
            dependencies: [
                "Banking",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ], swiftSettings: strict),
        .testTarget(name: "PartnersTests", dependencies: ["Partners"], swiftSettings: strict),
        .testTarget(
            name: "LifecycleTests",
            dependencies: [
                "Lifecycle",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ], swiftSettings: strict),
        .testTarget(
            name: "JobQueueTests",
            dependencies: [
                "JobQueue", "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(
            name: "DatabaseTests",
            dependencies: [
                "Postgres", "JobQueue", "Store", "Workers", "BursarApp", "Telemetry", "Banking", "History",
                "Benchmarks",
            ], swiftSettings: strict),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "Store", "Postgres", "History",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ], swiftSettings: strict),
        .testTarget(
            name: "HistoryTests", dependencies: ["History", "Screening", "Partners", "Store"], swiftSettings: strict),
    ]
)
