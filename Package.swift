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
        // Property tests for codecs and rules (Swift Testing); test targets only.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
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
        .target(name: "JobQueue", dependencies: [
            "Postgres",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .target(name: "Screening", swiftSettings: strict),
        .target(name: "Partners", dependencies: ["Screening"], swiftSettings: strict),
        .target(name: "Lifecycle", dependencies: ["Screening"], swiftSettings: strict),
        .target(name: "Store", dependencies: ["CCrypto", "Postgres", "JobQueue", "Screening", "Partners", "Lifecycle"], swiftSettings: strict),
        .target(name: "Workers", dependencies: ["Store", "JobQueue", "Screening", "Partners", "Lifecycle"], path: "Workers", swiftSettings: strict),
        .target(name: "BursarApp", dependencies: [
            "Workers", "Store", "Postgres",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "bursar", dependencies: ["BursarApp"], swiftSettings: strict),
        .executableTarget(name: "bursard", dependencies: ["BursarApp"], swiftSettings: strict),
        .testTarget(name: "ScreeningTests", dependencies: [
            "Screening", "Partners",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ], swiftSettings: strict),
        .testTarget(name: "PartnersTests", dependencies: ["Partners"], swiftSettings: strict),
        .testTarget(name: "LifecycleTests", dependencies: ["Lifecycle"], swiftSettings: strict),
        .testTarget(name: "JobQueueTests", dependencies: ["JobQueue", "Postgres",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "DatabaseTests", dependencies: ["Postgres", "JobQueue", "Store", "Workers", "BursarApp"], swiftSettings: strict),
    ]
)
