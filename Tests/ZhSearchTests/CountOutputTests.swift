import Testing

@testable import ZhSearch
@testable import zhsearch

/// `count`'s text table: columns aligned by display width, bars scaled to the largest row.
struct CountOutputTests {
  @Test func barsAreScaledToTheLargestRowInEighthsOfACell() {
    #expect(CountOutput.bar(8, of: 8, cells: 30) == String(repeating: "█", count: 30))
    #expect(CountOutput.bar(3, of: 8, cells: 30) == String(repeating: "█", count: 11) + "▎")
    #expect(CountOutput.bar(1, of: 1000, cells: 30) == "▏")
    #expect(CountOutput.bar(Int.max, of: Int.max, cells: 30) == String(repeating: "█", count: 30))
    #expect(CountOutput.bar(0, of: 0, cells: 30) == "")
  }

  @Test func wideCharactersTakeTwoColumnsAndRowsLineUp() {
    #expect(CountOutput.columns("gwr-2019年报告.txt") == 8 + 6 + 4)
    let files = ParagraphFiles(files: [0, 1], paths: ["a/报告-2016.txt", "a/x-2018.txt"])
    let report = CountReport(
      occurrences: Occurrences(paragraphs: [0, 1], counts: [4, 2]), files: files, allowed: nil, by: .file)
    let lines = CountOutput.table(report, bars: true).split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    // The occurrences column ends at the same column on every row; bars follow it.
    let ends = lines.map { line in CountOutput.columns(String(line.prefix { $0 != "█" && $0 != "▏" }).trimmingSuffixSpaces) }
    #expect(Set(ends).count == 1)
    // Rows in path order: x-2018 (2 occurrences), then 报告-2016 (4, the largest).
    #expect(lines[1].hasSuffix("  " + String(repeating: "█", count: 15)))
    #expect(lines[2].hasSuffix("  " + String(repeating: "█", count: 30)))
    #expect(!CountOutput.table(report, bars: false).contains("█"))
  }
}

extension String {
  fileprivate var trimmingSuffixSpaces: String {
    var text = self
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
