// libFuzzer target: any bytes as the entries of an index folder, then a build into it.
//
// Input: entries of three bytes or more each: a kind byte, a name byte (a name from a list
// of names an index folder may hold, or, with its high bit set, that many raw bytes
// following as the name), and a content byte. The kinds: the user's file, folder with a
// file in it, empty file, empty folder, symlink to a file outside, FIFO; and a copy of a
// file zhsearch wrote (an index file of some kind, or a build's marked scratch folder).
// zhsearch's own entries may be removed, and so may an empty folder named as a build's
// scratch folder (one that a build stopped right after making looks just so).
// The build must answer or fail with an error, never trap or hang, and every entry that
// is not zhsearch's own must be exactly as it was afterwards.
import Foundation

@testable import ZhSearch

/// A corpus, an index of it, and a file outside the folder, made once per fuzzing process.
private let base: (root: String, corpus: String, files: [IndexFormat.FileKind: Data], outside: String) = {
  let root = NSTemporaryDirectory() + "zhsearch-fuzz-folder-\(getpid())"
  try? FileManager.default.createDirectory(atPath: root + "/corpus", withIntermediateDirectories: true)
  _ = FileManager.default.createFile(atPath: root + "/corpus/a.txt", contents: Data("国家发展改革。\n人民生活水平提高，2018年GDP增长。\n".utf8))
  _ = FileManager.default.createFile(atPath: root + "/outside.txt", contents: Data("the user's file outside".utf8))
  do {
    _ = try IndexBuilder(threads: 1).build(paths: [root + "/corpus"], into: root + "/index")
  } catch {
    fatalError("cannot build the fuzzing index: \(error)")
  }
  var files: [IndexFormat.FileKind: Data] = [:]
  for kind in IndexFormat.FileKind.allCases {
    files[kind] = FileManager.default.contents(atPath: root + "/index/" + kind.fileName(generation: 1))
  }
  return (root, root + "/corpus", files, root + "/outside.txt")
}()

private let names = [
  "manifest", "manifest.tmp", "lock", "scratch-1", "scratch-2", "scratch-3", "scratch-", "scratch-notes", "scratch-01",
  "000001.terms", "000001.docs", "000001.positions", "000001.paragraphs", "000001.text", "000002.terms", "000002.text",
  "000003.docs", "1.text", "0.text", "000000.terms", "18446744073709551615.text", "999999999999999999.docs",
  "9999999999999999999.text", "000001.terms.tmp", ".000001.terms", "000001.Terms", "zhsearch-scratch", "notes.txt",
]

/// What an entry was made as, and so what may become of it.
private enum Made {
  /// The user's: must be exactly as it was.
  case users(String)
  /// zhsearch's own (a copy of what it writes): may be removed.
  case own
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFolder(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: count))
  let folder = base.root + "/folder"
  FileSystem.removeTree(folder)
  try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
  defer { FileSystem.removeTree(folder) }
  var made: [String: Made] = [:]
  var i = 0
  while i + 3 <= bytes.count {
    let (kind, nameByte, content) = (bytes[i], bytes[i + 1], bytes[i + 2])
    i += 3
    var name: String
    if nameByte & 0x80 != 0 {
      let length = Int(nameByte & 0x7F) % 24 + 1
      guard i + length <= bytes.count else { break }
      name = String(decoding: bytes[i..<i + length].map { $0 == 0x2F || $0 == 0 ? 0x5F : $0 }, as: UTF8.self)
      i += length
    } else {
      name = names[Int(nameByte) % names.count]
    }
    guard name != "." && name != "..", made[name] == nil else { continue }
    let path = folder + "/" + name
    switch kind % 8 {
    case 0:
      _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: content, count: Int(content)))
    case 1:
      try? FileManager.default.createDirectory(atPath: path + "/a", withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: path + "/a/d.txt", contents: Data("notes".utf8))
    case 2:
      _ = FileManager.default.createFile(atPath: path, contents: Data())
    case 3:
      try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
      // An empty scratch folder holds no data, and may be what a build stopped right after
      // its mkdir left: it may be removed.
      let digits = name.dropFirst(8)
      if name.hasPrefix("scratch-") && (1...18).contains(digits.count) && digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
        made[name] = .own
        continue
      }
    case 4:
      try? FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: base.outside)
    case 5:
      mkfifo(path, 0o644)
    case 6:
      // An index file of the kind its name says (zhsearch's own), or of another (not).
      let kinds = IndexFormat.FileKind.allCases
      let own = kinds.first { name == "manifest" || name == "manifest.tmp" ? $0 == .manifest : name.hasSuffix("." + $0.suffix) }
      let kind = content & 1 == 0 ? own ?? kinds[Int(content) % kinds.count] : kinds[Int(content) % kinds.count]
      _ = FileManager.default.createFile(atPath: path, contents: base.files[kind])
      if kind == own && name.first != "." { made[name] = .own; continue }
    default:
      if (try? IndexFolder.makeScratch(path)) != nil {
        _ = FileManager.default.createFile(atPath: path + "/w0.text", contents: Data(count: Int(content)))
        if name.hasPrefix("scratch-") { made[name] = .own; continue }
      }
    }
    made[name] = .users(describe(path))
  }
  let result = Result { () throws(IndexBuilder.Failure) in try IndexBuilder(threads: 1).build(paths: [base.corpus], into: folder) }
  for (name, entry) in made {
    guard case .users(let before) = entry else { continue }
    let after = describe(folder + "/" + name)
    precondition(after == before, "\(name) changed: \(before) -> \(after) (build: \(result))")
  }
  precondition(describe(base.outside) == "file the user's file outside")
  if case .success = result, let reader = try? IndexReader(directory: folder) {
    precondition(reader.problems().isEmpty)
    precondition(reader.paragraphCount == 2)
  }
  return 0
}

/// An entry's type and contents, without following a symlink or opening a FIFO.
private func describe(_ path: String) -> String {
  switch FileSystem.entryType(path) {
  case nil: return "missing"
  case S_IFLNK: return "link to " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
  case S_IFIFO: return "fifo"
  case S_IFDIR:
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? []
    return "folder " + names.map { $0 + ": " + describe(path + "/" + $0) }.joined(separator: ", ")
  default:
    return "file " + String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
  }
}
