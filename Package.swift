// swift-tools-version: 6.1
// vlpart — a part-level annotation data engine. Module map: ../shared/DESIGN.md and README.md.
import PackageDescription

let package = Package(
    name: "vlpart",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vlpart", targets: ["vlpart"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C shims: no logic beyond error-safe codec calls.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Vectorised exp / softmax-step kernels (AVX-512F, AVX2+FMA, portable C), chosen at run time.
        .target(name: "CKernels"),
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]
        ),

        // Library modules; arrows only point down DESIGN.md's table.
        .target(name: "Tensor", dependencies: ["CBLAS", "CKernels"], exclude: ["README.md", "Autodiff/README.md"]),
        .target(name: "Imaging", dependencies: ["CImageCodecs"], exclude: ["README.md"]),
        .target(name: "Store", dependencies: ["Imaging", "CKernels", .product(name: "GRDB", package: "GRDB.swift")],
                exclude: ["README.md"]),
        .target(name: "Taxonomy", dependencies: ["Store", "Yams"], exclude: ["README.md"]),
        .target(name: "Features", dependencies: ["Tensor", "Imaging"],
                exclude: ["README.md", "Text/README.md", "Pretrain/README.md"]),
        .target(name: "Parsing", dependencies: ["Features", "Taxonomy", "Store", "Tensor", "Imaging"], exclude: ["README.md"]),
        .target(name: "Segmenter", dependencies: ["Features", "Store", "Tensor", "Imaging"]),
        .target(name: "Synth", dependencies: ["Imaging", "Store", "Tensor"], exclude: ["README.md"]),
        .target(name: "Review", dependencies: ["Store", "Taxonomy", "Imaging", .product(name: "GRDB", package: "GRDB.swift")],
                exclude: ["README.md"]),
        .executableTarget(
            name: "vlpart",
            dependencies: [
                "Tensor", "Imaging", "Store", "Taxonomy", "Features", "Parsing", "Segmenter", "Synth", "Review",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/CLI"
        ),

        // Tests: one target per module, shared helpers, and end-to-end CLI tests.
        .target(name: "TestSupport", dependencies: ["Imaging", "Tensor"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "TaxonomyTests", dependencies: ["Taxonomy", "TestSupport"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "TestSupport"]),
        .testTarget(name: "ParsingTests", dependencies: ["Parsing", "TestSupport"]),
        .testTarget(name: "SegmenterTests", dependencies: ["Segmenter", "TestSupport"]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "TestSupport"]),
        .testTarget(name: "ReviewTests", dependencies: ["Review", "Store", "Imaging", "TestSupport",
                                                        .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CLITests", dependencies: ["Store", "TestSupport"]),
    ]
)
