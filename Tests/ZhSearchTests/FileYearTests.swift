import Testing

@testable import ZhSearch

/// The year of a file, from its name.
struct FileYearTests {
  @Test func theFirstWholeRunOfDigitsThatIsAYear() {
    #expect(FileYear.year(ofPath: "corpus/gwr-2019-2019年中华人民共和国国务院政府工作报告.txt") == 2019)
    #expect(FileYear.year(ofPath: "news/xwlb-20220924.txt") == 2022)
    #expect(FileYear.year(ofPath: "xi-newscn-20230825-079.txt") == 2023)
    #expect(FileYear.year(ofPath: "report-199912.txt") == 1999)
    #expect(FileYear.year(ofPath: "cpc-19-1954年报告.txt") == 1954)
  }

  @Test func digitsInsideALongerRunOrOutOfRangeAreNoYear() {
    #expect(FileYear.year(ofPath: "xi-12371-ARTI1513767487382671.txt") == nil)
    #expect(FileYear.year(ofPath: "report12019.txt") == nil)
    #expect(FileYear.year(ofPath: "a-1899-2101.txt") == nil)
    #expect(FileYear.year(ofPath: "a-20221324.txt") == nil)
    #expect(FileYear.year(ofPath: "a-20221232.txt") == nil)
    #expect(FileYear.year(ofPath: "a-202213.txt") == nil)
    #expect(FileYear.year(ofPath: "cpc-01-北京共产主义组织的报告.txt") == nil)
  }

  @Test func onlyTheNameCountsNotTheFolders() {
    #expect(FileYear.year(ofPath: "/data/2019/report.txt") == nil)
    #expect(FileYear.year(ofPath: "2019/2020-report.txt") == 2020)
  }

  @Test func theFirstYearWinsAndDigitsAreAscii() {
    #expect(FileYear.year(ofPath: "2001-vs-2002.txt") == 2001)
    #expect(FileYear.year(ofPath: "x-２０１９.txt") == nil)
  }
}
