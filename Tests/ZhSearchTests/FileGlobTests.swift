import Testing

@testable import ZhSearch

/// Glob patterns matched by code points, with `**` across folders.
struct FileGlobTests {
  @Test func starAndQuestionMarkStayInsideOneFolderName() {
    #expect(FileGlob("gwr-*").matches("gwr-2019-2019年政府工作报告.txt"))
    #expect(!FileGlob("gwr-*").matches("cpc-01.txt"))
    #expect(!FileGlob("a*").matches("a/b"))
    #expect(FileGlob("a?c").matches("abc"))
    #expect(!FileGlob("a?c").matches("a/c"))
    #expect(!FileGlob("a?c").matches("ac"))
  }

  @Test func aQuestionMarkIsOneChineseCharacterNotOneByte() {
    #expect(FileGlob("?年.txt").matches("某年.txt"))
    #expect(!FileGlob("??年.txt").matches("某年.txt"))
    #expect(FileGlob("*报告*").matches("2019年中华人民共和国国务院政府工作报告.txt"))
    #expect(FileGlob("[廣广]州*").matches("廣州共產黨報告.txt"))
    #expect(FileGlob("[一-龥]*").matches("北京.txt"))
    #expect(!FileGlob("[一-龥]*").matches("gwr.txt"))
  }

  @Test func setsRangesAndComplements() {
    #expect(FileGlob("gwr-20[12]?-*").matches("gwr-2019-x.txt"))
    #expect(!FileGlob("gwr-20[12]?-*").matches("gwr-2009-x.txt"))
    #expect(FileGlob("[!c]*").matches("gwr.txt"))
    #expect(!FileGlob("[^c]*").matches("cpc.txt"))
    #expect(FileGlob("[]]").matches("]"))
    #expect(FileGlob("a[").matches("a["))
    #expect(FileGlob("\\*").matches("*"))
    #expect(!FileGlob("\\*").matches("x"))
  }

  @Test func doubleStarCrossesFolders() {
    #expect(FileGlob("corpus/**/*.txt").matches("corpus/a/b/c.txt"))
    #expect(FileGlob("corpus/**/*.txt").matches("corpus/c.txt"))
    #expect(!FileGlob("corpus/*.txt").matches("corpus/a/c.txt"))
    #expect(FileGlob("**/gwr-*").matches("x/y/gwr-1.txt"))
    #expect(FileGlob("**/gwr-*").matches("gwr-1.txt"))
    #expect(FileGlob("corpus/**").matches("corpus/a/b"))
    #expect(FileGlob("/work/**.txt").matches("/work/a/b.txt"))
    #expect(!FileGlob("corpus/**/x").matches("corpusx"))
  }

  @Test func theWholePathMustMatch() {
    #expect(!FileGlob("gwr").matches("gwr-2019.txt"))
    #expect(FileGlob("").matches(""))
    #expect(!FileGlob("").matches("a"))
    #expect(FileGlob("*").matches(""))
    #expect(FileGlob("gwr-*").hasSlash == false)
    #expect(FileGlob("corpus/gwr-*").hasSlash)
  }
}
