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
    Self.withValidUTF8(bytes) { text in
      forEachParagraph(in: text) { line, ordinal, paragraph in
        body(
          Paragraph(
            file: file, line: line, ordinal: ordinal,
            text: String(decoding: paragraph, as: UTF8.self)))
      }
    }
  }

  /// Calls `body` with `bytes` when they are valid UTF-8, else with a copy in which every
  /// invalid sequence is replaced with U+FFFD.
  static func withValidUTF8<E: Error>(
    _ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> Void
  ) throws(E) {
    let valid = bytes.withUnsafeBufferPointer(Self.isValidUTF8)
    let text = valid ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
    var failure: E? = nil
    text.withUnsafeBufferPointer { buffer in
      do throws(E) { try body(buffer) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Whether `bytes` are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
  /// nothing above U+10FFFF), checked without copying them.
  static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = bytes.count
    var i = 0
    while i < count {
      // Eight ASCII bytes at a time.
      if i + 8 <= count,
        UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        i += 8
        continue
      }
      let lead = bytes[i]
      if lead < 0x80 {
        i += 1
        continue
      }
      // The common case in Chinese text: a three-byte character from U+1000 to U+CFFF.
      if lead >= 0xE1 && lead <= 0xEC && i + 3 <= count && bytes[i + 1] & 0xC0 == 0x80
        && bytes[i + 2] & 0xC0 == 0x80
      {
        i += 3
        continue
      }
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0: (length, low) = (3, 0xA0)
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED: (length, high) = (3, 0x9F)
      case 0xF0: (length, low) = (4, 0x90)
      case 0xF1...0xF3: length = 4
      case 0xF4: (length, high) = (4, 0x8F)
      default: return false
      }
      guard i + length <= count, (low...high).contains(bytes[i + 1]) else { return false }
      for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return false }
      i += length
    }
    return true
  }

  /// Calls `body` with the line number, ordinal and UTF-8 bytes of each paragraph of valid
  /// UTF-8 text: each non-empty trimmed line, or each passage of a line longer than
  /// `maxParagraphLength` characters.
  func forEachParagraph<E: Error>(
    in text: UnsafeBufferPointer<UInt8>,
    _ body: (_ line: Int, _ ordinal: Int, _ text: UnsafeBufferPointer<UInt8>) throws(E) -> Void
  ) throws(E) {
    var ordinal = 0
    var lineNumber = 0
    func line(_ range: Range<Int>) throws(E) {
      lineNumber += 1
      let trimmed = Self.trimmed(text, range)
      guard !trimmed.isEmpty else { return }
      let paragraph = UnsafeBufferPointer(rebasing: text[trimmed])
      if trimmed.count <= maxParagraphLength || Self.codePointCount(paragraph) <= maxParagraphLength {
        ordinal += 1
        try body(lineNumber, ordinal, paragraph)
        return
      }
      for passage in splitter.split(paragraph) {
        ordinal += 1
        try body(lineNumber, ordinal, UnsafeBufferPointer(rebasing: paragraph[passage]))
      }
    }
    let count = text.count
    var lineStart = 0
    var i = 0
    while i < count {
      let byte = text[i]
      if byte == 0x0A || byte == 0x0D {
        try line(lineStart..<i)
        if byte == 0x0D && i + 1 < count && text[i + 1] == 0x0A { i += 1 }
        lineStart = i + 1
      }
      i += 1
    }
    if lineStart < count { try line(lineStart..<count) }
  }

  /// The range of `range` without leading and trailing white space (Unicode White_Space)
  /// and byte order marks.
  static func trimmed(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
    var start = range.lowerBound
    var end = range.upperBound
    while start < end {
      let length = spaceLength(text, at: start, end: end)
      if length == 0 { break }
      start += length
    }
    while end > start {
      // Step back to the start of the last code point.
      var last = end - 1
      while last > start && text[last] & 0xC0 == 0x80 { last -= 1 }
      if spaceLength(text, at: last, end: end) != end - last { break }
      end = last
    }
    return start..<end
  }

  /// The byte length of the white space or BOM at `offset`, or 0 when there is none.
  @inline(__always)
  private static func spaceLength(_ text: UnsafeBufferPointer<UInt8>, at offset: Int, end: Int) -> Int {
    let lead = text[offset]
    if lead < 0x80 { return lead == 0x20 || (lead >= 0x09 && lead <= 0x0D) ? 1 : 0 }
    var next = offset
    guard lead >= 0xC2, offset + (lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4) <= end else { return 0 }
    let c = Analyzer.decode(text, &next)
    return isWhiteSpace(c) || c == 0xFEFF ? next - offset : 0
  }

  /// Whether `c` has the Unicode White_Space property.
  @inline(__always)
  static func isWhiteSpace(_ c: UInt32) -> Bool {
    switch c {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
      return true
    default:
      return false
    }
  }

  /// The number of code points in valid UTF-8.
  static func codePointCount(_ text: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    for byte in text where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }
}
