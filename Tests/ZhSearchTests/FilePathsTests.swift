import Testing

@testable import ZhSearch

/// Paths made absolute for the index, and printed for the user.
struct FilePathsTests {
  @Test func relativePathsAreMadeAbsoluteAndNormalizedWithoutTheDisk() {
    #expect(FilePaths.absolute("corpus/a.txt", base: "/home/u") == "/home/u/corpus/a.txt")
    #expect(FilePaths.absolute("./corpus//b/../a.txt", base: "/home/u/") == "/home/u/corpus/a.txt")
    #expect(FilePaths.absolute("../../../x.txt", base: "/home/u") == "/x.txt")
    #expect(FilePaths.absolute("/data/./news/", base: "/home/u") == "/data/news")
    #expect(FilePaths.absolute("/", base: nil) == "/")
    // Without a current folder, a relative path stays as it was reached.
    #expect(FilePaths.absolute("corpus/a.txt", base: nil) == "corpus/a.txt")
  }

  @Test func pathsBelowTheCurrentFolderPrintRelativeOthersAbsolute() {
    #expect(FilePaths.display("/home/u/corpus/a.txt", from: "/home/u") == "corpus/a.txt")
    #expect(FilePaths.display("/home/u/corpus/a.txt", from: "/home/u/") == "corpus/a.txt")
    #expect(FilePaths.display("/home/u/corpus/a.txt", from: "/") == "/home/u/corpus/a.txt")
    // A sibling whose name starts with the folder's is not below it.
    #expect(FilePaths.display("/home/user/a.txt", from: "/home/u") == "/home/user/a.txt")
    #expect(FilePaths.display("/data/a.txt", from: "/home/u") == "/data/a.txt")
    #expect(FilePaths.display("/data/a.txt", from: nil) == "/data/a.txt")
    // A path from an index that did not record absolute ones prints as stored.
    #expect(FilePaths.display("corpus/a.txt", from: "/home/u") == "corpus/a.txt")
  }
}
