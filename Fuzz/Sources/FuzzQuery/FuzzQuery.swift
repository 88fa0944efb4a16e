// libFuzzer target: any bytes as a query, parsed and run against a small index.
import Foundation

@testable import ZhSearch

/// A searcher over a small index of mixed text, built once per fuzzing process.
nonisolated(unsafe) private let searcher: Searcher = {
  let folder = NSTemporaryDirectory() + "zhsearch-fuzz-query-\(getpid())"
  try? FileManager.default.createDirectory(atPath: folder + "/corpus", withIntermediateDirectories: true)
  let text = """
    各位代表：现在，我代表国务院，向大会报告政府工作。
    2018年GDP增长6.6%，居民消费价格上涨2.1%。
    坚持“两个毫不动摇”，ＣＰＵ核心技术攻关，Ｉｎｔｅｌ与ARM架构。
    中华人民共和国 人民万岁 国家发展和改革委员会
    """
  _ = FileManager.default.createFile(atPath: folder + "/corpus/a.txt", contents: Data(text.utf8))
  do {
    _ = try IndexBuilder(threads: 1).build(paths: [folder + "/corpus"], into: folder + "/index")
    return try Searcher(reader: IndexReader(directory: folder + "/index"))
  } catch {
    fatalError("cannot build the fuzzing index: \(error)")
  }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
  // Parsing, matching, ranking and highlighting must answer or throw, never trap.
  if let result = try? searcher.search(text, limit: 3) {
    precondition(result.total >= result.hits.count)
  }
  return 0
}
