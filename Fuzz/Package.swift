// swift-tools-version: 6.0
// Coverage-guided fuzzing of the parsers that read what clients send (docs/SECURITY.md,
// "Fuzzing"). Built apart from the product, with libFuzzer and AddressSanitizer:
//
//   scripts/fuzz TARGET SECONDS
import PackageDescription

let package = Package(
    name: "MandateFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "mandate", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "MandateFuzz",
            dependencies: ["CFuzzDriver", .product(name: "MandateCore", package: "mandate")]
        ),
    ]
)
