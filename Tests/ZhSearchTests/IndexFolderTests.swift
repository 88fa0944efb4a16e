import Foundation
import Testing

@testable import ZhSearch

/// An index folder as zhsearch finds it: what it holds is told apart by what zhsearch wrote,
/// and nothing else in it is ever removed, overwritten or written through.
struct IndexFolderTests {
  private let manager = FileManager.default

  /// A small corpus of two files.
  private func corpus() -> String {
    Fixtures.corpusFolder(["a.txt": "打好精准脱贫攻坚战。\n坚持农业农村优先发展。\n", "b.txt": "脱贫攻坚目标任务接近完成。\n"])
  }

  private func build(into index: String) throws(IndexBuilder.Failure) {
    _ = try IndexBuilder(threads: 1).build(paths: [corpus()], into: index)
  }

  /// Every entry under `folder`, with its type and bytes (a symlink: its target).
  private func listing(_ folder: String) -> [String: String] {
    var entries: [String: String] = [:]
    for name in manager.subpaths(atPath: folder) ?? [] {
      let path = folder + "/" + name
      if let target = try? manager.destinationOfSymbolicLink(atPath: path) {
        entries[name] = "link to " + target
      } else if let data = manager.contents(atPath: path) {
        entries[name] = "file " + data.base64EncodedString()
      } else {
        entries[name] = "other"
      }
    }
    return entries
  }

  /// A folder holding `setUp`'s entries, refused as an index: with the entry named, and left
  /// exactly as it was.
  private func expectRefused(named foreign: String, _ setUp: (String) throws -> Void) throws {
    let index = Fixtures.temporaryDirectory(named: "foreign")
    defer { try? manager.removeItem(atPath: index) }
    try setUp(index)
    let before = listing(index)
    #expect(throws: IndexBuilder.Failure.index(.foreignEntry(folder: index, name: foreign))) { try build(into: index) }
    #expect(listing(index) == before)
    if foreign != "lock" { #expect(!manager.fileExists(atPath: index + "/lock")) }
  }

  @Test func aFolderOfTheUsersWithANameLikeAScratchFolderIsRefusedAndKept() throws {
    try expectRefused(named: "scratch-notes") { index in
      try manager.createDirectory(atPath: index + "/scratch-notes/a", withIntermediateDirectories: true)
      try "notes".write(toFile: index + "/scratch-notes/a/d.txt", atomically: false, encoding: .utf8)
    }
    try expectRefused(named: "scratch-7") { index in
      try manager.createDirectory(atPath: index + "/scratch-7", withIntermediateDirectories: true)
      try "notes".write(toFile: index + "/scratch-7/w0.text", atomically: false, encoding: .utf8)
    }
  }

  @Test func userFilesNamedLikeIndexFilesAreRefusedAndKept() throws {
    for name in ["manifest", "000099.text", "000001.terms", "manifest.tmp", "lock", "18446744073709551615.text"] {
      try expectRefused(named: name) { index in
        try "the user's own \(name)".write(toFile: index + "/" + name, atomically: false, encoding: .utf8)
      }
    }
  }

  @Test func aSymlinkOrAFIFOInTheFolderIsRefusedNeverWrittenThroughNorWaitedOn() throws {
    let target = Fixtures.temporaryDirectory(named: "target") + "/precious.txt"
    defer { try? manager.removeItem(atPath: (target as NSString).deletingLastPathComponent) }
    try "precious".write(toFile: target, atomically: false, encoding: .utf8)
    for name in ["manifest.tmp", "manifest", "lock", "000002.docs"] {
      try expectRefused(named: name) { index in try manager.createSymbolicLink(atPath: index + "/" + name, withDestinationPath: target) }
      try expectRefused(named: name) { index in #expect(mkfifo(index + "/" + name, 0o644) == 0) }
    }
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
  }

  @Test func aFileOfTheUsersInABuildsScratchFolderIsNeverRemoved() throws {
    let index = Fixtures.temporaryDirectory(named: "scratch-user") + "/index"
    defer { try? manager.removeItem(atPath: (index as NSString).deletingLastPathComponent) }
    try build(into: index)
    // A scratch folder as an interrupted build leaves it, where the user then put a file.
    try IndexFolder.makeScratch(index + "/scratch-7")
    try Data(count: 100).write(to: URL(fileURLWithPath: index + "/scratch-7/w0.text"))
    try "thesis".write(toFile: index + "/scratch-7/thesis.docx", atomically: false, encoding: .utf8)
    let before = listing(index)
    #expect(throws: IndexBuilder.Failure.index(.foreignEntry(folder: index, name: "scratch-7"))) { try build(into: index) }
    #expect(listing(index) == before)
  }

  @Test func aNameThatIsNotUTF8IsRefusedNotOverlooked() throws {
    let index = Fixtures.temporaryDirectory(named: "bytes")
    defer { try? manager.removeItem(atPath: index) }
    // The name's bytes as they are: 0xFF is never UTF-8.
    let path = Array(index.utf8CString.dropLast()) + [CChar(bitPattern: 0x2F), CChar(bitPattern: 0xFF), 0]
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    #expect(descriptor >= 0)
    close(descriptor)
    #expect(throws: IndexBuilder.Failure.index(.foreignEntry(folder: index, name: "\u{FFFD}"))) { try build(into: index) }
    #expect(try manager.contentsOfDirectory(atPath: index).count == 1)
  }

  @Test func anIndexFileCopiedUnderAHugeGenerationIsAClearErrorNotATrap() throws {
    let index = Fixtures.temporaryDirectory(named: "huge") + "/index"
    defer { try? manager.removeItem(atPath: (index as NSString).deletingLastPathComponent) }
    try build(into: index)
    try manager.copyItem(atPath: index + "/000001.text", toPath: index + "/999999999999999999.text")
    #expect(throws: IndexBuilder.Failure.index(.io(path: index, reason: "999999999999999999.text has the last generation number an index can have; index into a new folder"))) {
      try build(into: index)
    }
    #expect(try IndexReader(directory: index).paragraphCount == 3)
  }

  @Test func leftoversOfInterruptedBuildsAreRemovedBeforeANewBuildWrites() throws {
    let index = Fixtures.temporaryDirectory(named: "leftovers") + "/index"
    defer { try? manager.removeItem(atPath: (index as NSString).deletingLastPathComponent) }
    try build(into: index)
    // What interrupted builds leave: scratch folders (with files, or empty, as a build
    // stopped right after making it leaves it), whole data files of a generation never
    // committed, and an old version's manifest.tmp.
    try IndexFolder.makeScratch(index + "/scratch-4")
    try Data(count: 1 << 20).write(to: URL(fileURLWithPath: index + "/scratch-4/w0.text"))
    try manager.createDirectory(atPath: index + "/scratch-5", withIntermediateDirectories: false)
    for kind in IndexFormat.dataKinds {
      try manager.copyItem(atPath: index + "/" + kind.fileName(generation: 1), toPath: index + "/" + kind.fileName(generation: 3))
    }
    try manager.copyItem(atPath: index + "/manifest", toPath: index + "/manifest.tmp")
    let commit = try IndexCommit(directory: index)
    // Gone before anything new is written: on a nearly full disk, the room they took.
    let names = Set(try manager.contentsOfDirectory(atPath: index))
    #expect(names == Set(["lock", "manifest", "scratch-6"] + IndexFormat.dataKinds.map { $0.fileName(generation: 1) }))
    commit.abandon()
    #expect(try IndexReader(directory: index).paragraphCount == 3)
  }

  @Test func anIndexFolderIsRecognizedEntryByEntry() throws {
    let index = Fixtures.temporaryDirectory(named: "recognized") + "/index"
    defer { try? manager.removeItem(atPath: (index as NSString).deletingLastPathComponent) }
    try build(into: index)
    try build(into: index)
    let folder = try IndexFolder(index)
    #expect(folder.currentGeneration == 2)
    #expect(try folder.nextGeneration() == 3)
    #expect(folder.entries.map(\.entry).contains(.lock))
    #expect(folder.entries.filter { if case .data(2, _) = $0.entry { true } else { false } }.count == 6)
    #expect(folder.entries.count == 8)
  }
}
