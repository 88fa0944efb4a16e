import Foundation
#if canImport(FoundationXML)
  import FoundationXML
#endif
import Testing

@testable import ZhSearch

/// The SVG chart of a count: well-formed, labelled, with the marker it is recognized by.
struct CountChartTests {
  private let files = ParagraphFiles(
    files: [0, 1, 2], paths: ["gwr-2018.txt", "gwr-2021.txt", "cpc-01.txt"])

  @Test func aChartIsWellFormedXMLWithTitleAxesAndABarPerYear() throws {
    let report = CountReport(
      occurrences: Occurrences(paragraphs: [0, 1], counts: [7, 3]), files: files, allowed: nil, by: .year)
    let svg = CountChart.svg(report, query: "脱贫 & <攻坚>")
    #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(CountChart.marker)\n<svg "))
    let document = try XMLDocument(data: Data(svg.utf8))
    let root = try #require(document.rootElement())
    #expect(root.name == "svg")
    let texts = try root.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
    #expect(texts.contains("脱贫 & <攻坚>"))
    #expect(texts.contains("occurrences"))
    #expect(texts.contains("year"))
    for label in ["2018", "2019 (no file)", "2020 (no file)", "2021", "no year"] { #expect(texts.contains(label)) }
    // Two bars: the years with occurrences.
    let bars = try root.nodes(forXPath: "//*[local-name()='rect']/*[local-name()='title']").compactMap(\.stringValue)
    #expect(bars == ["2018: 7", "2021: 3"])
  }

  @Test func controlCharactersInTheQueryCannotBreakTheDocument() throws {
    let report = CountReport(occurrences: Occurrences(), files: files, allowed: nil, by: .file)
    let svg = CountChart.svg(report, query: "a\u{1}b\u{FFFF}\"")
    _ = try XMLDocument(data: Data(svg.utf8))
    #expect(svg.contains("a\u{FFFD}b\u{FFFD}&quot;"))
  }

  @Test func ticksAreRoundAndReachTheMaximum() {
    #expect(CountChart.axis(0) == (1, 1))
    #expect(CountChart.axis(3) == (1, 3))
    #expect(CountChart.axis(7) == (2, 4))
    #expect(CountChart.axis(36) == (10, 4))
    #expect(CountChart.axis(100) == (20, 5))
    // The sums of a damaged index can be near Int's limit: still an axis, no trap.
    #expect(CountChart.axis(Int.max) == (2_000_000_000_000_000_000, 5))
    #expect(CountChart.axis(101) == (50, 3))
  }
}
