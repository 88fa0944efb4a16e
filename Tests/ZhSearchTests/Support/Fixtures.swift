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

  /// The built `zhsearch` executable, beside the test bundle.
  static let executable: String = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.pathComponents.count > 1 {
      url.deleteLastPathComponent()
      let candidate = url.appendingPathComponent("zhsearch").path
      if FileManager.default.isExecutableFile(atPath: candidate) && !FileManager.default.fileExists(atPath: candidate + "/") {
        return candidate
      }
    }
    return packageRoot + "/.build/debug/zhsearch"
  }()

  /// The bundled `corpus/` folder.
  static let corpus = packageRoot + "/corpus"

  /// Every line of the bundled corpus's files.
  static func corpusLines() throws -> [String] {
    var lines: [String] = []
    for file in try CorpusReader.files(in: [corpus]) {
      let text = String(decoding: try CorpusReader.contents(of: file), as: UTF8.self)
      lines += text.split(separator: "\n").map(String.init)
    }
    return lines
  }

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

  /// The folder that holds every scratch folder of this test process, removed when the
  /// process exits. A process that dies first leaves its folder behind, so the folders of
  /// test processes no longer alive are removed when the next one starts.
  static let scratchRoot: String = {
    let base = FileManager.default.temporaryDirectory.path
    let prefix = "zhsearch-tests-"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(prefix) {
      guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
      if kill(pid, 0) == -1 && errno == ESRCH { FileSystem.removeTree(base + "/" + name) }
    }
    let root = base + "/" + prefix + String(getpid())
    FileSystem.removeTree(root)
    try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit { FileSystem.removeTree(Fixtures.scratchRoot) }
    return root
  }()

  /// A new, empty folder under this process's scratch root (see `scratchRoot`).
  static func temporaryDirectory(named name: String) -> String {
    let path = scratchRoot + "/" + UUID().uuidString + "-" + name
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
  static func searcher(_ files: [String: String], builder: IndexBuilder = IndexBuilder()) throws -> Searcher {
    let folder = corpusFolder(files)
    let index = temporaryDirectory(named: "index")
    _ = try builder.build(paths: [folder], into: index)
    return try Searcher(reader: IndexReader(directory: index))
  }
}
