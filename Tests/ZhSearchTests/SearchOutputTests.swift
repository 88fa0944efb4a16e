import Foundation
import Testing

@testable import ZhSearch

/// `zhsearch search`'s output: columns, context, pages, colour and marks.
struct SearchOutputTests {
  /// A corpus of one file whose paragraphs are numbered, and its index.
  private func indexed() throws -> (corpus: String, index: String) {
    let lines = (1...6).map { "第\($0)段。改革开放，第\($0)个[注 \($0)]。" }
    let corpus = Fixtures.corpusFolder(["a.txt": lines.joined(separator: "\n") + "\n\n  缩进的改革\n"])
    let index = Fixtures.temporaryDirectory(named: "index") + "/index"
    let run = try CommandRun(["index", corpus, "--index", index])
    #expect(run.status == 0, "\(run.error)")
    return (corpus, index)
  }

  @Test func hitsAreFileLineColumnWithTheFirstMatchsColumn() throws {
    let (corpus, index) = try indexed()
    let run = try CommandRun(["search", "开放", "--index", index, "--limit", "20"])
    #expect(run.status == 0, "\(run.error)")
    // 第1段。改革开放: 开放 is the 7th character; the indented line's paragraph starts at 3.
    #expect(run.output.contains("\(corpus)/a.txt:1:7\n"), "\(run.output)")
    let indented = try CommandRun(["search", "缩进", "--index", index, "--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(indented.output.utf8)) as? [String: Any])
    let hit = try #require((object["hits"] as? [[String: Any]])?.first)
    #expect(hit["line"] as? Int == 8 && hit["column"] as? Int == 3)
  }

  @Test func contextShowsTheParagraphsAroundEachHitFromItsFile() throws {
    let (_, index) = try indexed()
    let run = try CommandRun(["search", "第3个", "--index", index, "--context", "2", "--color", "never"])
    #expect(run.status == 0, "\(run.error)")
    let lines = run.output.split(separator: "\n").map(String.init)
    // Rank line, two before, the snippet, two after, the count.
    #expect(lines.count == 7, "\(run.output)")
    #expect(lines[1] == "   1- 第1段。改革开放，第1个[注 1]。")
    #expect(lines[2] == "   2- 第2段。改革开放，第2个[注 2]。")
    #expect(lines[3] == "   第3段。改革开放，[第3个]\\[注 3\\]。")
    #expect(lines[5] == "   5- 第5段。改革开放，第5个[注 5]。")
    let json = try CommandRun(["search", "第1个", "--index", index, "--context", "1", "--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    let hit = try #require((object["hits"] as? [[String: Any]])?.first)
    #expect((hit["before"] as? [Any])?.isEmpty == true)
    let after = try #require((hit["after"] as? [[String: Any]])?.first)
    #expect(after["line"] as? Int == 2 && after["column"] as? Int == 1 && after["paragraph"] as? Int == 2)
    #expect(after["text"] as? String == "第2段。改革开放，第2个[注 2]。")
    // Without --context, no such keys.
    let plain = try CommandRun(["search", "第1个", "--index", index, "--json"])
    #expect(!plain.output.contains("\"before\""))
  }

  @Test func offsetSkipsAPageAndRanksGoOn() throws {
    let (_, index) = try indexed()
    let all = try CommandRun(["search", "改革", "--index", index, "--limit", "7"])
    let page = try CommandRun(["search", "改革", "--index", index, "--offset", "3", "--limit", "2"])
    #expect(page.status == 0, "\(page.error)")
    let rankLines = { (run: CommandRun) in run.output.split(separator: "\n").filter { $0.first?.isNumber == true && $0.contains(". ") } }
    #expect(rankLines(page).map(String.init) == rankLines(all)[3..<5].map(String.init))
    #expect(rankLines(page).first?.hasPrefix("4. ") == true)
    #expect(page.output.hasSuffix("7 paragraphs matched\n"))
    let past = try CommandRun(["search", "改革", "--index", index, "--offset", "100"])
    #expect(past.status == 0 && past.output == "7 paragraphs matched\n")
  }

  @Test func negativeOffsetsAndContextsAreExplained() throws {
    let (_, index) = try indexed()
    for (option, word) in [("--offset", "hits to skip"), ("--context", "paragraphs")] {
      let run = try CommandRun(["search", "改革", "--index", index, option, "-2"])
      #expect(run.status == 2)
      #expect(run.error.contains("\(option) must be 0 or more (\(word)), not -2"), "\(run.error)")
    }
    let mistyped = try CommandRun(["search", "改革", "--index", index, "--contxt", "2"])
    #expect(mistyped.status == 2 && mistyped.error.contains("did you mean '--context'?"), "\(mistyped.error)")
    let color = try CommandRun(["search", "改革", "--index", index, "--color", "sometimes"])
    #expect(color.status == 2 && color.error.contains("--color"), "\(color.error)")
  }

  @Test func colorFollowsTheOptionAndNoColor() throws {
    let (_, index) = try indexed()
    let always = try CommandRun(["search", "第2个", "--index", index, "--color", "always", "--context", "1"])
    #expect(always.output.contains("\u{1B}[1;31m第2个\u{1B}[0m[注 2]"), "\(always.output)")
    #expect(always.output.contains("   1- \u{1B}[2m第1段"), "\(always.output)")
    // On a pipe, auto means no colour; so does never; NO_COLOR does not override always.
    for arguments in [["--color", "auto"], ["--color", "never"], []] {
      let run = try CommandRun(["search", "第2个", "--index", index] + arguments)
      #expect(!run.output.contains("\u{1B}"), "\(arguments)")
      #expect(run.output.contains("[第2个]\\[注 2\\]"), "\(run.output)")
    }
    let forced = try CommandRun(["search", "第2个", "--index", index, "--color", "always"], environment: ["NO_COLOR": "1"])
    #expect(forced.output.contains("\u{1B}[1;31m"))
  }
}
