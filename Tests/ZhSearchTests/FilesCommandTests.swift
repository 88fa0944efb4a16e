import Foundation
import Testing

@testable import ZhSearch

/// `zhsearch files`, the roots and time in `stats`, and paths in `search` that open from
/// where the user stands.
struct FilesCommandTests {
  /// A folder holding `corpus/` (two files) and an index of it built from inside the
  /// folder with the relative path `corpus`, and another folder beside it.
  private func fixture() throws -> (home: String, index: String, elsewhere: String) {
    let root = Fixtures.temporaryDirectory(named: "files-cli")
    let home = root + "/home"
    for (name, text) in ["corpus/2019.txt": "打好精准脱贫攻坚战。\n坚持农业农村优先发展。\n", "corpus/2020.txt": "脱贫攻坚目标任务接近完成。\n"] {
      try FileManager.default.createDirectory(atPath: home + "/corpus", withIntermediateDirectories: true)
      try text.write(toFile: home + "/" + name, atomically: true, encoding: .utf8)
    }
    try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
    let run = try CommandRun(["index", "corpus", "--index", "ix"], in: home)
    #expect(run.status == 0, "\(run.error)")
    return (home, home + "/ix", root + "/elsewhere")
  }

  @Test func searchPathsResolveFromTheFolderTheyArePrintedIn() throws {
    let (home, index, elsewhere) = try fixture()
    // Where the index was built: relative, as reached.
    let here = try CommandRun(["search", "脱贫攻坚", "--index", "ix"], in: home)
    #expect(here.status == 0)
    #expect(here.output.contains("  corpus/2019.txt:1:"))
    // From a folder below which the files do not lie: absolute.
    let away = try CommandRun(["search", "脱贫攻坚", "--index", index], in: elsewhere)
    #expect(away.output.contains("  \(home)/corpus/2019.txt:1:"))
    // From inside the corpus: relative to it. Every printed path opens from there.
    let inside = try CommandRun(["search", "脱贫攻坚", "--index", index], in: home + "/corpus")
    #expect(inside.output.contains("  2020.txt:1:"))
    for (run, folder) in [(here, home), (away, elsewhere), (inside, home + "/corpus")] {
      let paths = run.output.split(separator: "\n").filter { $0.prefixMatch(of: /\d+\./) != nil }.map { line in
        String(line.split(separator: " ").last!.split(separator: ":").first!)
      }
      #expect(paths.count == 2)
      for path in paths {
        #expect(FileManager.default.fileExists(atPath: path.hasPrefix("/") ? path : folder + "/" + path), "\(path) from \(folder)")
      }
    }
    // JSON: the path as printed, and the absolute one.
    let json = try CommandRun(["search", "打好", "--index", index, "--json"], in: elsewhere)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    let hit = try #require((object["hits"] as? [[String: Any]])?.first)
    #expect(hit["file"] as? String == home + "/corpus/2019.txt")
    #expect(hit["path"] as? String == home + "/corpus/2019.txt")
  }

  @Test func filesListsEachFileWithItsParagraphsEncodingAndSize() throws {
    let (home, index, elsewhere) = try fixture()
    let run = try CommandRun(["files", "--index", "ix"], in: home)
    #expect(run.status == 0, "\(run.error)")
    let lines = run.output.split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(lines[0].split(separator: " ") == ["paragraphs", "encoding", "bytes", "file"])
    let size = try FileManager.default.attributesOfItem(atPath: home + "/corpus/2019.txt")[.size] as? Int
    #expect(lines[1].split(separator: " ") == ["2", "UTF-8", "\(size ?? -1)", "corpus/2019.txt"])
    #expect(lines[2].split(separator: " ").first == "1")
    #expect(lines[3] == "2 files, 3 paragraphs")
    let json = try CommandRun(["files", "--index", index, "--json"], in: elsewhere)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    #expect(object["roots"] as? [String] == [home + "/corpus"])
    let files = try #require(object["files"] as? [[String: Any]])
    #expect(files.map { $0["file"] as? String } == [home + "/corpus/2019.txt", home + "/corpus/2020.txt"])
    #expect(files.map { $0["paragraphs"] as? Int } == [2, 1])
    #expect(files.map { $0["encoding"] as? String } == ["UTF-8", "UTF-8"])
    #expect(files[0]["bytes"] as? Int == size)
    #expect((files[0]["modified"] as? String)?.hasSuffix("Z") == true)
  }

  @Test func statsNamesTheFoldersIndexedAndWhen() throws {
    let (home, _, _) = try fixture()
    let run = try CommandRun(["stats", "--index", "ix"], in: home)
    #expect(run.output.contains("indexed from      \(home)/corpus\n"))
    let built = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("built ") })
    // ISO 8601 in local time with its offset: 2026-12-08T09:10:00+08:00.
    #expect(built.wholeMatch(of: /built +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d/) != nil)
    let json = try CommandRun(["stats", "--index", "ix", "--json"], in: home)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    #expect(object["roots"] as? [String] == [home + "/corpus"])
    #expect((object["builtAt"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
    #expect((object["fileBytes"] as? [String: Int])?["000001.files"] != nil)
  }

  @Test func aMistypedOptionOfFilesIsRefusedWithASuggestion() throws {
    let (home, _, _) = try fixture()
    let run = try CommandRun(["files", "--jsn", "--index", "ix"], in: home)
    #expect(run.status == 2)
    #expect(run.error.contains("--json"))
    #expect(run.output.isEmpty)
  }
}
