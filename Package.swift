// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// `TAILNAS_CHECKED=1` builds the release configuration with -O instead of -Ounchecked, so that every
/// precondition holds (`make test-checked` runs the tests on it, in `.build/checked`); -O costs the search
/// step more than 3% (README, Speed), so the shipped build stays -Ounchecked.
let checked = ProcessInfo.processInfo.environment["TAILNAS_CHECKED"] == "1"

/// Release builds drop bounds checks in the hot loops; the kernels use unsafe buffers throughout.
let fastMath: [SwiftSetting] = [
  .unsafeFlags(checked ? ["-wmo"] : ["-Ounchecked", "-wmo"], .when(configuration: .release))
]

/// `TAILNAS_MPI=1 swift build ...` adds the MPI communicator (Open MPI's libmpi, `libopenmpi-dev`) to
/// tailnas, so that `mpirun -np N tailnas search ...` runs one run over N processes. Without it no target
/// needs MPI; `make` builds the MPI flavour in its own scratch path (`.build/mpi`) when MPI is installed.
let withMPI = ProcessInfo.processInfo.environment["TAILNAS_MPI"] == "1"
let mpiTargets: [Target] =
  withMPI
  ? [
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
    .target(name: "MPICollectives", dependencies: ["CMPI", "Collectives"]),
  ] : []

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

    // At the bottom: the argument checks that -Ounchecked keeps (`require`; Engine re-exports it), the
    // vocabulary of architectures and the events of a run.
    .target(name: "Requirement", swiftSettings: fastMath),
    .target(name: "Architecture", dependencies: ["Requirement"]),
    .target(name: "RunEvents", dependencies: ["Architecture"]),
    .target(name: "Settings", dependencies: ["Presentation", .product(name: "TOMLKit", package: "TOMLKit")]),
    .target(name: "Presentation"),
    .target(name: "Collectives", dependencies: ["Requirement"]),

    // The engine, the data and the run loop the phases share.
    .target(name: "Engine", dependencies: ["CBLAS", "CZlib", "Requirement"], swiftSettings: fastMath),
    .target(
      name: "Datasets", dependencies: ["CZlib", "Presentation", "Requirement", "Settings"], swiftSettings: fastMath),
    .target(name: "RunLoop", dependencies: ["Collectives", "RunEvents", "Settings"]),
    .target(
      name: "Operations", dependencies: ["Architecture", "Collectives", "Datasets", "Engine", "RunEvents"],
      swiftSettings: fastMath),

    // The phases.
    .target(
      name: "Search",
      dependencies: [
        "Architecture", "Collectives", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Settings",
      ],
      swiftSettings: fastMath),

    .target(
      name: "Training",
      dependencies: [
        "Architecture", "Collectives", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Settings",
      ],
      swiftSettings: fastMath),

    // Runs on disk, what is made of them, and what shows them.
    .target(name: "RunStore", dependencies: ["Architecture", "Presentation", "RunEvents"]),
    .target(name: "Reports", dependencies: ["Architecture", "Presentation", "RunEvents", "RunStore"]),
    .target(name: "SyntheticRuns", dependencies: ["Architecture", "RunEvents"]),
    .target(
      name: "Study",
      dependencies: [
        "Architecture", "Engine", "Presentation", "Reports", "RunEvents", "RunStore", "Search", "Settings",
        "Training",
      ]),
    .target(name: "Dashboard", dependencies: ["Architecture", "Presentation", "RunEvents"]),
    .target(name: "Terminal", dependencies: ["Dashboard", "CNcurses"]),

    .executableTarget(
      name: "tailnas",
      dependencies: [
        "Architecture", "Collectives", "Dashboard", "Datasets", "Engine", "Operations", "Presentation", "Reports",
        "RunEvents",
        "RunLoop",
        "RunStore", "Search", "Settings", "Study", "SyntheticRuns", "Terminal", "Training",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ] + (withMPI ? ["MPICollectives"] : []),
      swiftSettings: fastMath + (withMPI ? [.define("TAILNAS_MPI")] : [])
    ),

    .target(name: "TestSupport", dependencies: ["Engine"], path: "Tests/TestSupport"),
    .target(name: "RunFixtures", dependencies: ["Architecture", "RunEvents", "RunStore"], path: "Tests/RunFixtures"),
    .testTarget(name: "ArchitectureTests", dependencies: ["Architecture"]),
    .testTarget(name: "RunEventsTests", dependencies: ["Architecture", "RunEvents", "SyntheticRuns"]),
    .testTarget(name: "SettingsTests", dependencies: ["Settings"]),
    .testTarget(
      name: "StudyTests", dependencies: ["RunEvents", "RunStore", "Search", "Settings", "Study", "SyntheticRuns"]),
    .testTarget(name: "PresentationTests", dependencies: ["Presentation"]),
    .testTarget(name: "RunLoopTests", dependencies: ["Collectives", "RunEvents", "RunLoop"]),
    .testTarget(
      name: "EngineTests", dependencies: ["Engine", "Datasets", "TestSupport"],
      swiftSettings: checked ? [.define("TAILNAS_CHECKED")] : []),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
    .testTarget(
      name: "SearchTests",
      dependencies: [
        "Architecture", "Collectives", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Search",
        "TestSupport",
      ]),
    .testTarget(
      name: "TrainingTests",
      dependencies: [
        "Architecture", "Collectives", "Datasets", "Engine", "Operations", "RunEvents", "RunLoop", "Training",
        "TestSupport",
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
        "Architecture", "Collectives", "Dashboard", "Datasets", "Engine", "Operations", "Reports", "RunEvents",
        "RunLoop", "RunStore", "Search", "SyntheticRuns", "RunFixtures", "Training",
      ]),
  ] + mpiTargets,
  swiftLanguageModes: [.v6]
)
