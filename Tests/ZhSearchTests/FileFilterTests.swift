import Testing

@testable import ZhSearch

/// Which stored paths `--in` globs let through.
struct FileFilterTests {
  @Test func aGlobWithoutASlashMatchesTheFileName() {
    let filter = FileFilter(globs: ["gwr-*"], currentDirectory: "/home/u")
    #expect(filter.allows("corpus/gwr-2019.txt"))
    #expect(filter.allows("/data/speeches/gwr-2019.txt"))
    #expect(!filter.allows("gwr-dir/cpc-01.txt"))
  }

  @Test func aGlobWithASlashMatchesThePathAsStoredOrAsPrinted() {
    let filter = FileFilter(globs: ["corpus/gwr-*"], currentDirectory: "/home/u/")
    // Stored relative (as reached when indexing), or absolute below the current folder.
    #expect(filter.allows("corpus/gwr-2019.txt"))
    #expect(filter.allows("./corpus/gwr-2019.txt"))
    #expect(filter.allows("/home/u/corpus/gwr-2019.txt"))
    #expect(!filter.allows("/elsewhere/corpus/gwr-2019.txt"))
    #expect(!filter.allows("corpus/sub/gwr-2019.txt"))
  }

  @Test func anAbsoluteGlobMatchesARelativeStoredPathFromTheCurrentFolder() {
    let filter = FileFilter(globs: ["/home/u/corpus/*"], currentDirectory: "/home/u")
    #expect(filter.allows("corpus/gwr-2019.txt"))
    #expect(filter.allows("/home/u/corpus/gwr-2019.txt"))
    #expect(!filter.allows("other/gwr-2019.txt"))
    #expect(FileFilter(globs: ["./corpus/*"], currentDirectory: "/").allows("/corpus/a.txt"))
  }

  @Test func anyGlobLetsAFileThroughAndGlobsMatchingNothingAreNamed() {
    let filter = FileFilter(globs: ["gwr-*", "cpc-*", "nothing-*"], currentDirectory: "/")
    let (allowed, unmatched) = filter.allowed(["a/gwr-1.txt", "a/cpc-2.txt", "a/xi-3.txt"])
    #expect(allowed == [true, true, false])
    #expect(unmatched == ["nothing-*"])
  }
}
