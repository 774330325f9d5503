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
    // C libraries: OpenBLAS for GEMM, zlib for gzip, ncursesw for the terminal.
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),

    // At the bottom: the vocabulary of architectures and the events of a run.
    .target(name: "Architecture"),
    .target(name: "RunEvents", dependencies: ["Architecture"]),
    .target(name: "Settings", dependencies: ["Presentation", .product(name: "TOMLKit", package: "TOMLKit")]),
    .target(name: "Presentation"),

    // The engine, the data and the run loop the phases share.
    .target(name: "Engine", dependencies: ["CBLAS", "CZlib"], swiftSettings: fastMath),
    .target(name: "Datasets", dependencies: ["CZlib", "Presentation", "Settings"], swiftSettings: fastMath),
    .target(name: "RunLoop", dependencies: ["RunEvents", "Settings"]),
    .target(
      name: "Operations", dependencies: ["Architecture", "Datasets", "Engine", "RunEvents"], swiftSettings: fastMath),

    // The phases.
    .target(
      name: "Search",
      dependencies: ["Architecture", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Settings"],
      swiftSettings: fastMath),

    .target(
      name: "Training",
      dependencies: ["Architecture", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Settings"],
      swiftSettings: fastMath),

    // Runs on disk, what is made of them, and what shows them.
    .target(name: "RunStore", dependencies: ["Architecture", "Presentation", "RunEvents"]),
    .target(name: "Reports", dependencies: ["Architecture", "Presentation", "RunEvents", "RunStore"]),
    .target(name: "SyntheticRuns", dependencies: ["Architecture", "RunEvents"]),
    .target(name: "Dashboard", dependencies: ["Architecture", "Presentation", "RunEvents"]),
    .target(name: "Terminal", dependencies: ["Dashboard", "CNcurses"]),

    .executableTarget(
      name: "tailnas",
      dependencies: [
        "Architecture", "Dashboard", "Datasets", "Engine", "Operations", "Presentation", "Reports", "RunEvents",
        "RunLoop",
        "RunStore", "Search", "Settings", "SyntheticRuns", "Terminal", "Training",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: fastMath
    ),

    .target(name: "TestSupport", dependencies: ["Engine"], path: "Tests/TestSupport"),
    .target(name: "RunFixtures", dependencies: ["Architecture", "RunEvents", "RunStore"], path: "Tests/RunFixtures"),
    .testTarget(name: "ArchitectureTests", dependencies: ["Architecture"]),
    .testTarget(name: "RunEventsTests", dependencies: ["Architecture", "RunEvents", "SyntheticRuns"]),
    .testTarget(name: "SettingsTests", dependencies: ["Settings"]),
    .testTarget(name: "PresentationTests", dependencies: ["Presentation"]),
    .testTarget(name: "RunLoopTests", dependencies: ["RunEvents", "RunLoop"]),
    .testTarget(name: "EngineTests", dependencies: ["Engine", "Datasets", "TestSupport"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
    .testTarget(
      name: "SearchTests",
      dependencies: [
        "Architecture", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Search", "TestSupport",
      ]),
    .testTarget(
      name: "TrainingTests",
      dependencies: [
        "Architecture", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Training", "TestSupport",
      ]
    ),
    .testTarget(
      name: "RunStoreTests", dependencies: ["Architecture", "RunEvents", "RunStore", "SyntheticRuns", "RunFixtures"]),
    .testTarget(
      name: "ReportsTests",
      dependencies: [
        "Architecture", "Presentation", "Reports", "RunEvents", "RunStore", "SyntheticRuns", "RunFixtures",
      ]),
    .testTarget(
      name: "DashboardTests",
      dependencies: ["Architecture", "Dashboard", "Presentation", "RunEvents", "SyntheticRuns"],
      exclude: ["Snapshots", "Fixtures"]),
    .testTarget(
      name: "IntegrationTests",
      dependencies: [
        "Architecture", "Dashboard", "Datasets", "Engine", "Operations", "Reports", "RunEvents", "RunLoop", "RunStore",
        "Search", "SyntheticRuns", "RunFixtures",
      ]),
  ],
  swiftLanguageModes: [.v6]
)
