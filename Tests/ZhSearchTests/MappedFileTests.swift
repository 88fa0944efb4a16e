import Foundation
import Testing

@testable import ZhSearch

/// Index files as mapped by readers: only regular files are opened, and one truncated by
/// another program while mapped ends the process with a message, not a crash.
struct MappedFileTests {
  @Test func aFIFOInPlaceOfAnIndexFileIsReportedWithoutBlocking() throws {
    let index = Fixtures.temporaryDirectory(named: "fifo") + "/index"
    defer { try? FileManager.default.removeItem(atPath: (index as NSString).deletingLastPathComponent) }
    let corpus = Fixtures.corpusFolder(["a.txt": "脱贫攻坚。\n"])
    defer { try? FileManager.default.removeItem(atPath: corpus) }
    _ = try IndexBuilder(threads: 1).build(paths: [corpus], into: index)
    for name in ["000001.terms", "manifest"] {
      let saved = index + "/" + name + ".saved"
      try FileManager.default.moveItem(atPath: index + "/" + name, toPath: saved)
      #expect(mkfifo(index + "/" + name, 0o644) == 0)
      #expect(throws: IndexError.corrupt(file: index + "/" + name, detail: "not a regular file")) {
        try IndexReader(directory: index)
      }
      try FileManager.default.removeItem(atPath: index + "/" + name)
      try FileManager.default.moveItem(atPath: saved, toPath: index + "/" + name)
    }
  }

  @Test func aFileTruncatedWhileMappedEndsTheProcessWithOneLineAndStatusTwo() async throws {
    let result = await #expect(processExitsWith: .exitCode(2), observing: [\.standardErrorContent]) {
      IndexReader.reportTruncatedFiles()
      let path = FileManager.default.temporaryDirectory.path + "/zhsearch-truncated-\(getpid())"
      #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 1 << 16)))
      let file = try MappedFile(path: path)
      truncate(path, 0)
      unlink(path)
      // The page is gone with the file's bytes: reading it faults.
      if file.bytes[1 << 15] == 7 { print("read a byte that is no longer there") }
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.hasPrefix("zhsearch: /") && message.hasSuffix("changed while it was being read (another program truncated or replaced it); run the command again\n"), "\(message)")
  }
}
