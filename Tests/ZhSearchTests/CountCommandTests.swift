import Foundation
import Testing

@testable import ZhSearch

/// `zhsearch count` and `--in`, end to end through the executable.
struct CountCommandTests {
  private func run(_ arguments: [String], in folder: String? = nil) throws -> CommandRun {
    try CommandRun(arguments, in: folder)
  }

  /// Reports of 2016, 2018 and 2019 (none of 2017), one without a year, and news in a folder.
  private func indexedFixture() throws -> (root: String, index: String) {
    let root = Fixtures.corpusFolder([
      "speeches/gwr-2016-报告.txt": "脱贫攻坚战。\n脱贫攻坚，脱贫攻坚。\n发展\n",
      "speeches/gwr-2018-报告.txt": "发展\n",
      "speeches/gwr-2019-报告.txt": "脱贫攻坚\n",
      "speeches/cpc-01-北京.txt": "脱贫攻坚\n",
      "news/xwlb-20190101.txt": "脱贫攻坚\n",
    ])
    let index = root + "/index"
    let build = try run(["index", "speeches", "news", "--index", index], in: root)
    #expect(build.status == 0, "\(build.error)")
    return (root, index)
  }

  @Test func byYearEveryYearHasARowOnAPipeAsPlainColumns() throws {
    let (root, index) = try indexedFixture()
    let result = try run(["count", "脱贫攻坚", "--index", index], in: root)
    #expect(result.status == 0, "\(result.error)")
    let rows = result.output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
    #expect(rows == [
      "by year files paragraphs occurrences",
      "2016 1 2 3",
      "2017 0 0 0 (no file)",
      "2018 1 0 0",
      "2019 2 2 2",
      "no year 1 1 1",
      "total 5 5 6",
    ])
    #expect(!result.output.contains("█"))
  }

  @Test func csvAndJsonHaveTheDocumentedShape() throws {
    let (root, index) = try indexedFixture()
    let csv = try run(["count", "脱贫攻坚", "--index", index, "--csv"], in: root)
    #expect(csv.output == "year,files,paragraphs,occurrences\n2016,1,2,3\n2017,0,0,0\n2018,1,0,0\n2019,2,2,2\n,1,1,1\n")
    let byFile = try run(["count", "脱贫攻坚", "--index", index, "--csv", "--by", "file"], in: root)
    #expect(byFile.output.split(separator: "\n").first == "file,paragraphs,occurrences")
    #expect(byFile.output.contains("speeches/gwr-2016-报告.txt,2,3\n"))
    #expect(byFile.output.contains("speeches/gwr-2018-报告.txt,0,0\n"))
    let json = try run(["count", "脱贫攻坚", "--index", index, "--json"], in: root)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    #expect(object["query"] as? String == "脱贫攻坚")
    #expect(object["by"] as? String == "year")
    #expect(object["occurrences"] as? Int == 6)
    #expect(object["paragraphs"] as? Int == 5)
    #expect(object["files"] as? Int == 5)
    let rows = try #require(object["rows"] as? [[String: Any]])
    #expect(rows.map { $0["year"] as? Int } == [2016, 2017, 2018, 2019, nil])
    #expect(rows[4]["year"] is NSNull)
    #expect(rows.map { $0["occurrences"] as? Int } == [3, 0, 0, 2, 1])
    #expect(try run(["count", "x", "--json", "--csv", "--index", index]).status == 2)
  }

  @Test func inRestrictsByFileNameOrByPath() throws {
    let (root, index) = try indexedFixture()
    let names = try run(["count", "脱贫攻坚", "--index", index, "--csv", "--in", "gwr-*"], in: root)
    #expect(names.output == "year,files,paragraphs,occurrences\n2016,1,2,3\n2017,0,0,0\n2018,1,0,0\n2019,1,1,1\n")
    let paths = try run(["count", "脱贫攻坚", "--index", index, "--csv", "--in", "news/*", "--in", "*北京*"], in: root)
    #expect(paths.output == "year,files,paragraphs,occurrences\n2019,1,1,1\n,1,1,1\n")
    let absolute = try run(["count", "脱贫攻坚", "--index", index, "--csv", "--in", root + "/news/**"], in: root)
    #expect(absolute.output == "year,files,paragraphs,occurrences\n2019,1,1,1\n")
    // Search: the total and hits count only the files in scope.
    let search = try run(["search", "脱贫攻坚", "--index", index, "--in", "speeches/gwr-201[89]-*"], in: root)
    #expect(search.status == 0, "\(search.error)")
    #expect(search.output.hasSuffix("1 paragraph matched\n"))
    #expect(search.output.contains("gwr-2019-报告.txt:1"))
  }

  @Test func aGlobThatMatchesNoFileIsWarnedAboutAndNoFileAtAllExitsOne() throws {
    let (root, index) = try indexedFixture()
    let some = try run(["count", "脱贫攻坚", "--index", index, "--in", "gwr-*", "--in", "nope-*"], in: root)
    #expect(some.status == 0)
    #expect(some.error == "zhsearch: warning: --in 'nope-*' matches no indexed file\n")
    for command in ["count", "search"] {
      let none = try run([command, "脱贫攻坚", "--index", index, "--in", "nope-*"], in: root)
      #expect(none.status == 1)
      #expect(none.output.isEmpty)
      #expect(none.error.hasSuffix("zhsearch: no indexed file matches --in; nothing to search\n"))
    }
  }

  @Test func exitStatusesAndMistypedOptions() throws {
    let (root, index) = try indexedFixture()
    #expect(try run(["count", "贫困", "--index", index], in: root).status == 1)
    #expect(try run(["count", "脱贫 -攻坚", "--index", index], in: root).status == 1)
    let mistyped = try run(["count", "脱贫", "--idnex", index], in: root)
    #expect(mistyped.status == 2)
    #expect(mistyped.error.contains("did you mean '--index'?"))
    #expect(try run(["count", "脱贫", "--by", "month", "--index", index], in: root).status == 2)
    #expect(try run(["count", "\"脱贫", "--index", index], in: root).status == 2)
    #expect(try run(["count", "脱贫", "--index", root + "/none"], in: root).status == 2)
  }

  @Test func svgIsWrittenAndAForeignFileIsNeverOverwritten() throws {
    let (root, index) = try indexedFixture()
    let chart = root + "/chart.svg"
    let first = try run(["count", "脱贫攻坚", "--index", index, "--svg", chart], in: root)
    #expect(first.status == 0, "\(first.error)")
    let svg = try String(contentsOfFile: chart, encoding: .utf8)
    #expect(svg.contains(CountChart.marker))
    #expect(svg.contains(">脱贫攻坚</text>"))
    // Its own chart is replaced; another file is refused, untouched, with exit status 2.
    #expect(try run(["count", "发展", "--index", index, "--svg", chart], in: root).status == 0)
    #expect(try String(contentsOfFile: chart, encoding: .utf8).contains(">发展</text>"))
    let paper = root + "/paper.svg"
    try "<svg/>".write(toFile: paper, atomically: false, encoding: .utf8)
    let refused = try run(["count", "脱贫攻坚", "--index", index, "--svg", paper], in: root)
    #expect(refused.status == 2)
    #expect(refused.error.contains("not a chart zhsearch wrote"))
    #expect(try String(contentsOfFile: paper, encoding: .utf8) == "<svg/>")
  }
}
