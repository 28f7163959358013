// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "ControlGap",
  products: [
    .executable(name: "controlgap", targets: ["ControlGapCLI"]),
    .library(name: "ControlGapKit", targets: ["ControlGapKit"]),
  ],
  targets: [
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    .systemLibrary(
      name: "CLibCrypto",
      pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]
    ),
    .systemLibrary(
      name: "CLibArchive",
      pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]
    ),
    .target(
      name: "ControlGapKit",
      dependencies: ["CLibXML2", "CLibCrypto", "CLibArchive"]
    ),
    .executableTarget(
      name: "ControlGapCLI",
      dependencies: ["ControlGapKit"]
    ),
    .executableTarget(
      name: "FrameworkBuilder",
      dependencies: ["ControlGapKit"]
    ),
    .testTarget(
      name: "ControlGapKitTests",
      dependencies: ["ControlGapKit"]
    ),
  ]
)
