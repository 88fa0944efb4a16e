import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

/// Every file-system call of a build and its commit fails in turn (`FaultInjector`), as a
/// full or failing disk would make it: after each, the index is exactly the old one or
/// exactly the new one, the build reports one clear line, no file of the user's changed,
/// and the next build, on a healthy disk, succeeds and leaves nothing behind.
@Suite(.serialized)
struct FaultInjectorTests {
  /// What a reader sees of an index: enough to tell the old corpus's from the new one's.
  struct Answer: Equatable {
    var files: Int
    var paragraphs: Int
    var totals: [Int]
  }

  private static let queries = ["改革", "发展", "人民", "2018年"]

  private func answer(_ index: String) throws -> Answer {
    let reader = try IndexReader(directory: index)
    #expect(reader.problems().isEmpty)
    let searcher = try Searcher(reader: reader)
    return Answer(
      files: reader.fileCount, paragraphs: reader.paragraphCount, totals: try Self.queries.map { try searcher.rank($0).total })
  }

  /// Every regular file and folder under `root`, but the index folders, with its bytes.
  private func snapshot(_ root: String, excluding indexes: [String]) -> [String: Data] {
    var files: [String: Data] = [:]
    let walker = FileManager.default.enumerator(atPath: root)
    while let name = walker?.nextObject() as? String {
      let path = root + "/" + name
      if indexes.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
      files[name] = FileManager.default.contents(atPath: path) ?? Data("folder".utf8)
    }
    return files
  }

  /// A build that spills, merges in several chunks and lends its output buffers: every path
  /// of the build's writing is taken.
  private func builder() -> IndexBuilder {
    var builder = IndexBuilder(threads: 2, memoryBudget: 1 << 17)
    builder.minimumMergeChunkWork = 1 << 10
    builder.mergeFlushBytes = 1 << 12
    return builder
  }

  /// Paragraphs of generated text: `count` lines from a small vocabulary, so that terms
  /// repeat across paragraphs.
  private func text(_ count: Int, seed: UInt64) -> String {
    let words = ["改革", "发展", "人民", "经济", "社会", "建设", "2018年", "国家", "创新", "GDP", "增长", "开放"]
    var random = SeededGenerator(seed: seed)
    var text = ""
    for _ in 0..<count {
      for _ in 0..<Int.random(in: 4...30, using: &random) { text += words.randomElement(using: &random)! }
      text += "。\n"
    }
    return text
  }

  @Test func everyFailingCallLeavesTheOldIndexOrTheNewOneAndTheUsersFilesAsTheyWere() throws {
    let root = Fixtures.temporaryDirectory(named: "faults")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let manager = FileManager.default
    let files = [("old/a.txt", 300), ("old/b.txt", 200), ("new/a.txt", 400), ("new/b.txt", 300), ("new/c.txt", 300)]
    for (seed, (name, count)) in files.enumerated() {
      try manager.createDirectory(atPath: root + "/" + (name as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try text(count, seed: UInt64(seed + 1)).write(toFile: root + "/" + name, atomically: false, encoding: .utf8)
    }
    try "the user's notes".write(toFile: root + "/notes.txt", atomically: false, encoding: .utf8)
    let pristine = root + "/pristine"
    let index = root + "/index"
    _ = try builder().build(paths: [root + "/old"], into: pristine)
    let old = try answer(pristine)
    let userFiles = snapshot(root, excluding: [pristine, index])

    func reset() throws {
      try? manager.removeItem(atPath: index)
      try manager.copyItem(atPath: pristine, toPath: index)
    }
    // A run without faults: its calls, and the new index's answer.
    try reset()
    FaultInjector.arm(root: index)
    _ = try builder().build(paths: [root + "/new"], into: index)
    let calls = FaultInjector.disarm()
    let new = try answer(index)
    #expect(old != new)
    for kind in [FileSystem.Call.create, .write, .fsync, .rename, .unlink, .mkdir, .close, .rmdir] {
      #expect(calls.contains { $0.call == kind }, "no \(kind) call was made")
    }

    var outcomes: [String: Int] = [:]
    for (error, persistent) in [(EIO, false), (ENOSPC, false), (EIO, true)] {
      for failAt in 1...calls.count {
        try reset()
        FaultInjector.arm(root: index, failAt: failAt, error: error, persistent: persistent)
        let result = Result { () throws(IndexBuilder.Failure) in try builder().build(paths: [root + "/new"], into: index) }
        let made = FaultInjector.disarm()
        let place = "call \(failAt) (\(made.count >= failAt ? "\(made[failAt - 1])" : "none")), errno \(error)\(persistent ? " from then on" : "")"
        switch result {
        case .success:
          // (The threads' calls interleave differently from run to run: a run can make fewer.)
          #expect(made.count < failAt, "\(place): the build did not fail")
          #expect(try answer(index) == new, "\(place)")
        case .failure(.index(let failure)):
          let message = failure.description
          #expect(!message.contains("\n") && message.contains(String(cString: strerror(error))), "\(place): \(message)")
          switch failure {
          case .io:
            #expect(try answer(index) == old, "\(place): \(message)")
            outcomes["old", default: 0] += 1
          case .afterCommit:
            #expect(try answer(index) == new, "\(place): \(message)")
            outcomes["new", default: 0] += 1
          default:
            Issue.record("\(place): \(message)")
          }
        case .failure(let other):
          Issue.record("\(place): \(other)")
        }
        #expect(snapshot(root, excluding: [pristine, index]) == userFiles, "\(place): a file of the user's changed")
        // What the failed run left is recognized, and the next run removes it (checked
        // after the disk died, when the run could remove least).
        #expect(throws: Never.self, "\(place)") { try IndexFolder(index) }
        guard persistent else { continue }
        _ = try builder().build(paths: [root + "/new"], into: index)
        #expect(try answer(index) == new, "\(place)")
        let names = try manager.contentsOfDirectory(atPath: index).sorted()
        #expect(names.count == 8 && !names.contains { $0.hasPrefix("scratch-") }, "\(place): \(names)")
      }
    }
    // Both sides of the commit point were reached.
    #expect(outcomes["old", default: 0] > 0 && outcomes["new", default: 0] > 0, "\(outcomes)")
  }
}
