import Foundation
import Testing

@testable import ZhSearch

/// `zhsearch show FILE:LINE[:COLUMN]`.
struct ShowCommandTests {
  private func indexed() throws -> (corpus: String, index: String) {
    let long = String(repeating: "国家发展改革委员会，推进改革。", count: 30)  // 450 characters: 2 passages
    let corpus = Fixtures.corpusFolder([
      "a/2019.txt": "第一段。\n第二段。\n\n" + long + "\n末段。\n",
      "b/2019.txt": "另一个文件。\n",
      "b/2020:3.txt": "冒号的文件名。\n",
    ])
    let index = Fixtures.temporaryDirectory(named: "index") + "/index"
    let run = try CommandRun(["index", corpus, "--index", index, "--max-paragraph-length", "400"])
    #expect(run.status == 0, "\(run.error)")
    return (corpus, index)
  }

  @Test func aLinesParagraphIsPrintedWithItsPlaceAndContext() throws {
    let (corpus, index) = try indexed()
    let run = try CommandRun(["show", "\(corpus)/a/2019.txt:2", "--index", index, "--context", "1"])
    #expect(run.status == 0, "\(run.error)")
    let lines = run.output.split(separator: "\n").map(String.init)
    #expect(lines.count == 3, "\(run.output)")
    #expect(lines[0] == "\(corpus)/a/2019.txt:1:1- 第一段。")
    #expect(lines[1] == "\(corpus)/a/2019.txt:2:1: 第二段。")
    // (Line 3 is blank: the next paragraph is line 4's first passage.)
    #expect(lines[2].hasPrefix("\(corpus)/a/2019.txt:4:1- 国家发展改革委员会"))
  }

  @Test func aLongLinesPassagesAreAllShownOrTheOneHoldingTheColumn() throws {
    let (corpus, index) = try indexed()
    let both = try CommandRun(["show", "\(corpus)/a/2019.txt:4", "--index", index, "--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(both.output.utf8)) as? [String: Any])
    let passages = try #require(object["paragraphs"] as? [[String: Any]])
    #expect(passages.count == 2)
    let second = try #require(passages.last?["column"] as? Int)
    #expect(second > 1 && passages.first?["column"] as? Int == 1)
    // FILE:LINE:COLUMN as search prints it: the passage that holds the column.
    for (column, expected) in [(1, 1), (second - 1, 1), (second, second), (second + 30, second)] {
      let run = try CommandRun(["show", "\(corpus)/a/2019.txt:4:\(column)", "--index", index])
      #expect(run.status == 0, "\(run.error)")
      #expect(run.output.hasPrefix("\(corpus)/a/2019.txt:4:\(expected): "), "column \(column): \(run.output)")
      #expect(run.output.split(separator: "\n").count == 1)
    }
  }

  @Test func aFileIsFoundByItsStoredNameAnotherPathOrAUniqueEnd() throws {
    let (corpus, index) = try indexed()
    // Another path to the same file, from another folder.
    let relative = try CommandRun(["show", "../b/2019.txt:1", "--index", index], in: corpus + "/a")
    #expect(relative.output == "\(corpus)/b/2019.txt:1:1: 另一个文件。\n", "\(relative.error)")
    let end = try CommandRun(["show", "a/2019.txt:1", "--index", index])
    #expect(end.status == 0 && end.output.hasSuffix(": 第一段。\n"), "\(end.error)")
    // A file name holding a colon and digits.
    let colon = try CommandRun(["show", "2020:3.txt:1", "--index", index])
    #expect(colon.output.hasSuffix("2020:3.txt:1:1: 冒号的文件名。\n"), "\(colon.error)")
  }

  @Test func unknownFilesAndLinesAreOneLineErrors() throws {
    let (_, index) = try indexed()
    let cases: [(String, Int32, String)] = [
      ("2019.txt:1", 2, "'2019.txt' is the end of 2 indexed files"),
      ("none.txt:1", 2, "no indexed file is 'none.txt'"),
      ("a/2019.txt", 2, "is not FILE:LINE"),
      ("a/2019.txt:0", 2, "line numbers start at 1"),
      ("a/2019.txt:3", 1, "a/2019.txt:3 holds no paragraph"),
      ("a/2019.txt:99", 1, "a/2019.txt:99 holds no paragraph"),
      ("a/2019.txt:1:0", 2, "column numbers start at 1"),
      ("a/2019.txt:9223372036854775807", 1, "holds no paragraph"),
    ]
    for (place, status, message) in cases {
      let run = try CommandRun(["show", place, "--index", index])
      #expect(run.status == status, "\(place): \(run.error)")
      #expect(run.error.hasPrefix("zhsearch: ") && run.error.contains(message), "\(place): \(run.error)")
      #expect(run.error.split(separator: "\n").count == 1 && run.output.isEmpty)
    }
    let negative = try CommandRun(["show", "a/2019.txt:1", "--index", index, "--context", "-1"])
    #expect(negative.status == 2 && negative.error.contains("--context must be 0 or more"), "\(negative.error)")
    let mistyped = try CommandRun(["show", "a/2019.txt:1", "--index", index, "--contex", "1"])
    #expect(mistyped.status == 2 && mistyped.error.contains("--context"), "\(mistyped.error)")
  }
}
