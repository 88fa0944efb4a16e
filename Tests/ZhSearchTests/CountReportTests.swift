import Testing

@testable import ZhSearch

/// Rows of a count: every year of the range, zero rows, years without a file, files
/// without a year, and per file.
struct CountReportTests {
  /// Files 0...4 and their paragraphs: 2016 (paragraphs 0, 1), 2019 (2), 2016 again (3),
  /// no year (4), 2021 (5, 6).
  private let files = ParagraphFiles(
    files: [0, 0, 1, 2, 3, 4, 4],
    paths: ["c/gwr-2016-a.txt", "c/gwr-2019-b.txt", "c/x-20160301.txt", "c/cpc-01.txt", "c/gwr-2021.txt"])

  @Test func everyYearOfTheRangeHasARowAndFilesWithoutAYearShareTheLast() {
    let occurrences = Occurrences(paragraphs: [1, 3, 4, 6], counts: [2, 1, 5, 3])
    let report = CountReport(occurrences: occurrences, files: files, allowed: nil, by: .year)
    #expect(report.rows.map(\.year) == [2016, 2017, 2018, 2019, 2020, 2021, nil])
    #expect(report.rows.map(\.files) == [2, 0, 0, 1, 0, 1, 1])
    #expect(report.rows.map(\.paragraphs) == [2, 0, 0, 0, 0, 1, 1])
    #expect(report.rows.map(\.occurrences) == [3, 0, 0, 0, 0, 3, 5])
    #expect((report.files, report.paragraphs, report.occurrences) == (5, 4, 11))
  }

  @Test func theRangeIsThatOfTheFilesInScopeAndOnlyTheirParagraphsCount() {
    let occurrences = Occurrences(paragraphs: [2, 5], counts: [4, 1])
    let report = CountReport(
      occurrences: occurrences, files: files, allowed: [false, true, false, false, true], by: .year)
    #expect(report.rows.map(\.year) == [2019, 2020, 2021])
    #expect(report.rows.map(\.files) == [1, 0, 1])
    #expect(report.rows.map(\.occurrences) == [4, 0, 1])
    #expect(report.files == 2)
  }

  @Test func withoutAnyYearThereIsOnlyTheNoYearRow() {
    let report = CountReport(
      occurrences: Occurrences(), files: files, allowed: [false, false, false, true, false], by: .year)
    #expect(report.rows == [CountReport.Row(year: nil, file: nil, files: 1, paragraphs: 0, occurrences: 0)])
  }

  @Test func byFileEveryFileInScopeHasARowInPathOrder() {
    let occurrences = Occurrences(paragraphs: [0, 1, 4], counts: [1, 1, 2])
    let report = CountReport(occurrences: occurrences, files: files, allowed: nil, by: .file)
    #expect(report.rows.map(\.file) == files.paths.sorted())
    #expect(report.rows.map(\.paragraphs) == [1, 2, 0, 0, 0])
    #expect(report.rows.map(\.occurrences) == [2, 2, 0, 0, 0])
  }
}
