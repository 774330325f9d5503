// swift-tools-version: 6.0
import PackageDescription

/// Release builds drop bounds checks in the hot loops; the kernels use unsafe buffers throughout.
let fastMath: [SwiftSetting] = [
  .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))
]

let package = Package(
  name: "tailnas",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "tailnas", targets: ["tailnas"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
    .target(name: "Engine", dependencies: ["CBLAS"], swiftSettings: fastMath),
    .target(name: "Data", dependencies: ["CZlib"], swiftSettings: fastMath),
    .target(name: "RunEvents"),
    .target(name: "RunStore", dependencies: ["RunEvents", "Search", "Engine"]),
    .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
    .target(name: "Dashboard", dependencies: ["RunEvents"]),
    .target(name: "Terminal", dependencies: ["Dashboard", "CNcurses"]),
    .target(
      name: "Search",
      dependencies: ["Engine", "Data", "RunEvents", .product(name: "TOMLKit", package: "TOMLKit")],
      swiftSettings: fastMath
    ),
    .target(name: "TestSupport", dependencies: ["Engine"], path: "Tests/TestSupport"),
    .executableTarget(
      name: "tailnas",
      dependencies: [
        "Engine",
        "Search",
        "Data",
        "RunEvents",
        "RunStore",
        "Dashboard",
        "Terminal",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: fastMath
    ),
    .testTarget(name: "EngineTests", dependencies: ["Engine", "Data", "TestSupport"]),
    .testTarget(name: "SearchTests", dependencies: ["Search", "Engine", "TestSupport"]),
    .testTarget(name: "DataTests", dependencies: ["Data"]),
    .testTarget(name: "RunEventsTests", dependencies: ["RunEvents"]),
    .testTarget(name: "RunStoreTests", dependencies: ["RunStore", "RunEvents", "Search", "Engine", "Data"]),
    .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "RunEvents"], exclude: ["Snapshots"]),
  ],
  swiftLanguageModes: [.v6]
)
