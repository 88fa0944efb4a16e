import Foundation

@testable import ZhSearch

/// Shared test material: the bundled corpus, indexed once, and scratch folders.
enum Fixtures {
  /// The package's root folder, found from this file's path.
  static let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The bundled `corpus/` folder.
  static let corpus = packageRoot + "/corpus"

  /// An index of the bundled corpus, built once per test run.
  static let corpusIndex: String = {
    let directory = temporaryDirectory(named: "corpus-index")
    do {
      _ = try IndexBuilder().build(paths: [corpus], into: directory)
    } catch {
      fatalError("cannot index the bundled corpus: \(error)")
    }
    return directory
  }()

  /// A new, empty folder under the system's temporary folder.
  static func temporaryDirectory(named name: String) -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhsearch-tests-\(UUID().uuidString)-\(name)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes `files` (relative path to text) into a new folder and returns its path.
  static func corpusFolder(_ files: [String: String]) -> String {
    let root = temporaryDirectory(named: "corpus")
    for (name, text) in files {
      let path = root + "/" + name
      try! FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try! text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    return root
  }

  /// Builds an index of `files` and returns a searcher over it.
  static func searcher(_ files: [String: String]) throws -> Searcher {
    let folder = corpusFolder(files)
    let index = temporaryDirectory(named: "index")
    _ = try IndexBuilder().build(paths: [folder], into: index)
    return try Searcher(reader: IndexReader(directory: index))
  }
}

/// A small, seeded pseudo-random generator (SplitMix64), so sampled tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
