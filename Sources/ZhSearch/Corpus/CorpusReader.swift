#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the text files of a corpus and reads them into paragraphs.
///
/// Folders are walked recursively (hidden entries skipped, names sorted) for `.txt` files;
/// a file named directly is read whatever its extension. A file is UTF-8 text; each
/// non-empty, trimmed line is a paragraph, and a line longer than `maxParagraphLength`
/// characters is cut into passages by `PassageSplitter`.
public struct CorpusReader {
  /// The longest paragraph, in characters, before a line is cut into passages.
  public let maxParagraphLength: Int
  private let splitter: PassageSplitter

  public init(maxParagraphLength: Int = 400) throws(ICUError) {
    self.maxParagraphLength = maxParagraphLength
    splitter = try PassageSplitter(limit: maxParagraphLength)
  }

  /// The files to index under `paths`, each as reached from its argument (as grep prints it).
  public static func files(in paths: [String]) throws(CorpusError) -> [String] {
    var files: [String] = []
    for path in paths {
      var info = stat()
      guard stat(path, &info) == 0 else {
        if errno == ENOENT { throw .notFound(path: path) }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      if info.st_mode & S_IFMT == S_IFDIR {
        var visited: Set<String> = []
        try walk(path, into: &files, visited: &visited)
      } else {
        files.append(path)
      }
    }
    if files.isEmpty { throw .noTextFiles(paths: paths) }
    return files
  }

  private static func walk(_ folder: String, into files: inout [String], visited: inout Set<String>)
    throws(CorpusError)
  {
    // Follow each real folder once, so a symlink loop cannot recurse forever.
    guard let real = realpath(folder, nil) else {
      throw .unreadable(path: folder, reason: String(cString: strerror(errno)))
    }
    defer { free(real) }
    guard visited.insert(String(cString: real)).inserted else { return }
    guard let directory = opendir(folder) else {
      throw .unreadable(path: folder, reason: String(cString: strerror(errno)))
    }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if !name.hasPrefix(".") { names.append(name) }
    }
    closedir(directory)
    names.sort()
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    for name in names {
      let path = prefix + name
      var info = stat()
      guard stat(path, &info) == 0 else { continue }  // a broken symlink
      if info.st_mode & S_IFMT == S_IFDIR {
        try walk(path, into: &files, visited: &visited)
      } else if info.st_mode & S_IFMT == S_IFREG && name.lowercased().hasSuffix(".txt") {
        files.append(path)
      }
    }
  }

  /// Reads a whole file's bytes.
  public static func contents(of path: String) throws(CorpusError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if info.st_mode & S_IFMT == S_IFDIR {
      throw .unreadable(path: path, reason: "is a folder")
    }
    let size = Int(info.st_size)
    if size > Int(Int32.max) { throw .fileTooLarge(path: path, bytes: size) }
    var bytes = [UInt8](repeating: 0, count: max(size, 0))
    var filled = 0
    while true {
      if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 65536)) }
      let n = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      filled += n
    }
    bytes.removeSubrange(filled...)
    return bytes
  }

  /// Cuts a file's text into paragraphs and calls `body` with each, in order.
  ///
  /// Invalid UTF-8 is replaced with U+FFFD; lines end at LF, CR LF or CR.
  public func paragraphs(in bytes: [UInt8], file: Int, _ body: (Paragraph) -> Void) {
    var ordinal = 0
    var lineNumber = 0
    var lineStart = 0
    var i = 0
    let count = bytes.count
    func emit(_ range: Range<Int>) {
      lineNumber += 1
      let text = String(decoding: bytes[range], as: UTF8.self).trimmingWhitespace()
      guard !text.isEmpty else { return }
      for passage in splitter.split(text) {
        ordinal += 1
        body(Paragraph(file: file, line: lineNumber, ordinal: ordinal, text: passage))
      }
    }
    while i < count {
      let byte = bytes[i]
      if byte == 0x0A || byte == 0x0D {
        emit(lineStart..<i)
        if byte == 0x0D && i + 1 < count && bytes[i + 1] == 0x0A { i += 1 }
        lineStart = i + 1
      }
      i += 1
    }
    if lineStart < count { emit(lineStart..<count) }
  }
}
