#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the text files of a corpus and reads them into paragraphs.
///
/// Folders are walked recursively (hidden entries skipped, names sorted) for `.txt` files;
/// a file named directly is read whatever its extension. Files are read in their encoding
/// (see `FileDecoder`); each non-empty, trimmed line is a paragraph, and a line longer than
/// `maxParagraphLength` characters is cut into passages by `PassageSplitter`. What cannot
/// be read (missing paths, broken or looping symlinks, names that are not UTF-8, unreadable,
/// empty or binary files) is skipped with a `CorpusWarning`, never stopping the run.
public struct CorpusReader {
  /// The longest paragraph, in characters, before a line is cut into passages.
  public let maxParagraphLength: Int
  private let splitter: PassageSplitter

  public init(maxParagraphLength: Int = 400) throws(ICUError) {
    self.maxParagraphLength = maxParagraphLength
    splitter = try PassageSplitter(limit: maxParagraphLength)
  }

  /// The files to index under `paths`, each as reached from its argument (as grep prints it).
  ///
  /// - Throws: `CorpusError.noTextFiles` when there are none.
  public static func files(in paths: [String]) throws(CorpusError) -> [String] {
    let listing = scan(paths)
    if listing.files.isEmpty { throw .noTextFiles(paths: paths) }
    return listing.files
  }

  /// The files to index under `paths`, and a warning for each path that was left out.
  public static func scan(_ paths: [String]) -> (files: [String], warnings: [CorpusWarning]) {
    let listing = scanSized(paths)
    return (listing.files.map(\.path), listing.warnings)
  }

  /// `scan(_:)` with each file's size in bytes, as `stat` found it while listing (the build
  /// shares the files out by size, and stating each one again would delay every thread's
  /// start).
  ///
  /// A file reached twice (named and inside a named folder, or through a symlink) is listed
  /// once, where it was first reached: files are told apart by their canonical path, not by
  /// inode, as hard-linked copies are distinct files on purpose.
  static func scanSized(_ paths: [String]) -> (files: [(path: String, bytes: Int)], warnings: [CorpusWarning]) {
    var listing = Listing()
    for path in paths {
      var info = stat()
      guard stat(path, &info) == 0 else {
        listing.warnings.append(missing(path))
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        walk(path, into: &listing)
      case S_IFREG:
        guard let real = realpath(path, nil) else {
          listing.warnings.append(unreadable(path))
          continue
        }
        defer { free(real) }
        listing.add(path, canonical: String(cString: real), bytes: Int(info.st_size))
      default:
        listing.warnings.append(notRegular(path, mode: info.st_mode))
      }
    }
    return (listing.files, listing.warnings)
  }

  /// The files and warnings of a scan so far.
  private struct Listing {
    var files: [(path: String, bytes: Int)] = []
    var warnings: [CorpusWarning] = []
    /// The canonical paths of the folders walked and of the files listed.
    var folders: Set<String> = []
    var canonicalFiles: Set<String> = []

    mutating func add(_ path: String, canonical: String, bytes: Int) {
      if canonicalFiles.insert(canonical).inserted { files.append((path, bytes)) }
    }
  }

  /// The warning for a path that is neither a folder nor a regular file (a FIFO, a socket, a
  /// device), whose reading could block forever or never end.
  static func notRegular(_ path: String, mode: mode_t) -> CorpusWarning {
    let what =
      switch mode & S_IFMT {
      case S_IFIFO: "a FIFO"
      case S_IFSOCK: "a socket"
      case S_IFCHR: "a character device"
      case S_IFBLK: "a block device"
      default: "of an unknown type"
      }
    return CorpusWarning(path: path, kind: .notRegular, detail: "not a regular file (\(what); skipped)")
  }

  private static func unreadable(_ path: String) -> CorpusWarning {
    CorpusWarning(path: path, kind: .unreadable, detail: "cannot read: \(String(cString: strerror(errno)))")
  }

  /// The warning for a path that `stat` could not follow (`errno` still set by it).
  private static func missing(_ path: String) -> CorpusWarning {
    let reason = errno
    var link = stat()
    if lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK {
      return reason == ELOOP
        ? CorpusWarning(path: path, kind: .linkLoop, detail: "symlink loop (skipped)")
        : CorpusWarning(path: path, kind: .brokenLink, detail: "broken symlink (skipped)")
    }
    if reason == ENOENT { return CorpusWarning(path: path, kind: .notFound, detail: "no such file or folder") }
    return CorpusWarning(path: path, kind: .unreadable, detail: "cannot read: \(String(cString: strerror(reason)))")
  }

  private static func walk(_ folder: String, into listing: inout Listing) {
    // Follow each real folder once, so a symlink loop cannot recurse forever.
    guard let resolved = realpath(folder, nil) else {
      listing.warnings.append(unreadable(folder))
      return
    }
    let real = String(cString: resolved)
    free(resolved)
    guard listing.folders.insert(real).inserted else {
      listing.warnings.append(CorpusWarning(path: folder, kind: .linkLoop, detail: "folder already read through another path (a symlink loop?); skipped"))
      return
    }
    guard let directory = opendir(folder) else {
      listing.warnings.append(unreadable(folder))
      return
    }
    var warnings: [CorpusWarning] = []
    // Names of entries that are symlinks (or of a type readdir does not tell), whose
    // canonical path is not the folder's and the name.
    var links: Set<String> = []
    var names: [String] = []
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    // readdir returns nil at the end and on an error, told apart by errno.
    errno = 0
    while let entry = readdir(directory) {
      defer { errno = 0 }
      let bytes = Array(FileSystem.entryName(entry))
      guard bytes.first != UInt8(ascii: ".") else { continue }
      let isUTF8 = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0) == nil }
      guard isUTF8 else {
        warnings.append(
          CorpusWarning(
            path: prefix + String(decoding: bytes, as: UTF8.self), kind: .badName,
            detail: "name is not valid UTF-8 (skipped; rename it to index it)"))
        continue
      }
      names.append(String(decoding: bytes, as: UTF8.self))
      let type = entry.pointee.d_type
      if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) { links.insert(names[names.count - 1]) }
    }
    if errno != 0 {
      // What was listed is indexed; that more could not be is said, and counted as skipped.
      warnings.append(
        CorpusWarning(path: folder, kind: .unreadable, detail: "cannot list the whole folder: \(String(cString: strerror(errno)))"))
    }
    names.sort()
    // Each entry is looked up in the folder (`fstatat`), rather than by its whole path from
    // the top, while the folder is open; its subfolders are walked once it is closed (in
    // name order among its files, as listed), so a deep tree holds one folder open at a time.
    let folderDescriptor = dirfd(directory)
    var entries: [(name: String, isFolder: Bool, bytes: Int)] = []
    for name in names {
      var info = stat()
      guard fstatat(folderDescriptor, name, &info, 0) == 0 else {
        warnings.append(missing(prefix + name))
        continue
      }
      if info.st_mode & S_IFMT == S_IFDIR {
        entries.append((name, true, 0))
      } else if name.lowercased().hasSuffix(".txt") {
        if info.st_mode & S_IFMT == S_IFREG {
          entries.append((name, false, Int(info.st_size)))
        } else {
          warnings.append(notRegular(prefix + name, mode: info.st_mode))
        }
      }
    }
    closedir(directory)
    listing.warnings += warnings
    let realPrefix = real.hasSuffix("/") ? real : real + "/"
    for entry in entries {
      if entry.isFolder {
        walk(prefix + entry.name, into: &listing)
      } else if !links.contains(entry.name) {
        listing.add(prefix + entry.name, canonical: realPrefix + entry.name, bytes: entry.bytes)
      } else if let resolved = realpath(prefix + entry.name, nil) {
        listing.add(prefix + entry.name, canonical: String(cString: resolved), bytes: entry.bytes)
        free(resolved)
      } else {
        listing.warnings.append(unreadable(prefix + entry.name))
      }
    }
  }

  /// Reads a whole file's bytes.
  public static func contents(of path: String) throws(CorpusError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK)
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
    if info.st_mode & S_IFMT != S_IFREG {
      throw .unreadable(path: path, reason: notRegular(path, mode: info.st_mode).detail)
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
    let valid = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0) == nil }
    let text = valid ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
    var lines = LineState()
    text.withUnsafeBufferPointer { text in
      _ = forEachParagraph(in: text, lines: &lines, end: .line) { line, ordinal, column, paragraph in
        body(
          Paragraph(
            file: file, line: line, ordinal: ordinal, column: column,
            text: String(decoding: paragraph, as: UTF8.self)))
      }
    }
  }

  /// Reads the file at `path` with `decoder` (in `encoding`, or the one it detects) and calls
  /// `body` with the line number, ordinal, column and UTF-8 bytes of each of its paragraphs.
  ///
  /// - Returns: the bytes read, the paragraphs found, and a warning when the file was
  ///   skipped (then nothing was passed to `body`) or read with bytes replaced or cut short.
  package func paragraphs<E: Error>(
    ofFile path: String, encoding: TextEncoding?, decoder: FileDecoder,
    _ body: (_ line: Int, _ ordinal: Int, _ column: Int, _ text: UnsafeBufferPointer<UInt8>) throws(E) -> Void
  ) throws(E) -> (bytes: Int, paragraphs: Int, warning: CorpusWarning?) {
    var lines = LineState()
    var paragraphs = 0
    let result = try decoder.decode(path, encoding: encoding) { text, end throws(E) in
      try forEachParagraph(in: text, lines: &lines, end: end) { line, ordinal, column, paragraph throws(E) in
        paragraphs += 1
        try body(line, ordinal, column, paragraph)
      }
    }
    switch result {
    case .failure(.unreadable(let reason)):
      return (0, 0, CorpusWarning(path: path, kind: .unreadable, detail: "cannot read: \(reason) (skipped)"))
    case .failure(.notRegular(let mode)):
      return (0, 0, Self.notRegular(path, mode: mode))
    case .failure(.empty):
      return (0, 0, CorpusWarning(path: path, kind: .empty, detail: "empty file (skipped)"))
    case .failure(.binary(let reason)):
      return (0, 0, CorpusWarning(path: path, kind: .binary, detail: "\(reason) (skipped)"))
    case .success(let outcome):
      if let error = outcome.readError {
        return (outcome.bytes, paragraphs, CorpusWarning(path: path, kind: .readError, detail: "read error after \(outcome.bytes) bytes: \(error); indexed up to there"))
      }
      if paragraphs == 0 {
        return (outcome.bytes, 0, CorpusWarning(path: path, kind: .empty, detail: "no text, only blank lines (skipped)"))
      }
      if outcome.invalid > 0, let first = outcome.firstInvalid {
        let what = outcome.encoding == .utf8 ? "bytes that are not valid UTF-8" : "malformed \(outcome.encoding) sequences"
        return (
          outcome.bytes, paragraphs,
          CorpusWarning(
            path: path, kind: .invalidBytes,
            detail: "\(outcome.invalid) \(what) replaced with U+FFFD, the first at byte offset \(first)")
        )
      }
      return (outcome.bytes, paragraphs, nil)
    }
  }

  /// Where the cutting of a file into lines stands between two portions of its text.
  struct LineState {
    /// Lines begun so far (the number of the current line).
    var line = 0
    /// Paragraphs handed on so far.
    var ordinal = 0
    /// Whether the last portion ended inside a line, which the next one continues.
    var continuing = false
    /// The code points of the current line before the start of the next portion's part of
    /// it (what earlier portions held of it, less what comes again).
    var column = 0
    /// Where the passage to cut next starts in the next portion, when the last one ended
    /// inside a long line and left its unfinished passage to come again (after some bytes
    /// of the passage before, the splitter's context).
    var resume: Int? = nil
  }

  /// Bytes before an unfinished passage that are left with it, at least, as the splitter's
  /// context (see `PassageSplitter.contextStart`).
  static let splitContext = 16 << 10

  /// Calls `body` with the line number, ordinal, column and UTF-8 bytes of each paragraph of
  /// valid UTF-8 text: each non-empty trimmed line, or each passage of a line longer than
  /// `maxParagraphLength` characters. The column is 1-based, in code points, where the
  /// paragraph starts in its line (after the line's leading white space), so that passages
  /// of one line are told apart. The text may be one portion of a file (`lines` carries
  /// the count on), which may end inside a line (`end`).
  ///
  /// - Returns: how many bytes of `text` were taken: all, but for a portion that ends
  ///   `.inside` a long line, whose unfinished passage is left to come again.
  func forEachParagraph<E: Error>(
    in text: UnsafeBufferPointer<UInt8>, lines: inout LineState, end: FileDecoder.PortionEnd,
    _ body: (_ line: Int, _ ordinal: Int, _ column: Int, _ text: UnsafeBufferPointer<UInt8>) throws(E) -> Void
  ) throws(E) -> Int {
    /// Hands on the passages of `line` (which starts `base` code points into its line) from
    /// `from` on, and returns the bytes of its end left to come again (none when `complete`).
    func passages(_ line: UnsafeBufferPointer<UInt8>, base: Int, from: Int, complete: Bool) throws(E) -> Int {
      let (passages, resume) = splitter.split(line, from: from, complete: complete)
      // Code points counted from one passage's start to the next, not from the line's.
      var (counted, column) = (0, base)
      for passage in passages {
        column += Self.codePointCount(UnsafeBufferPointer(rebasing: line[counted..<passage.lowerBound]))
        counted = passage.lowerBound
        lines.ordinal += 1
        try body(lines.line, lines.ordinal, column + 1, UnsafeBufferPointer(rebasing: line[passage]))
      }
      guard !complete else { return 0 }
      let keep = splitter.contextStart(line, before: resume, bytes: Self.splitContext)
      lines.resume = resume - keep
      lines.continuing = true
      lines.column = base + Self.codePointCount(UnsafeBufferPointer(rebasing: line[..<keep]))
      return line.count - keep
    }
    /// Hands on the paragraphs of the line at `range` (all of it, or its part in this
    /// portion), and returns the bytes of its end left to come again.
    func line(_ range: Range<Int>, unfinished: Bool = false) throws(E) -> Int {
      if lines.continuing {
        lines.continuing = false
      } else {
        lines.line += 1
        lines.column = 0
      }
      if let resume = lines.resume {
        // The rest of a long line, after the end of its last passage taken.
        lines.resume = nil
        let start = range.lowerBound + resume
        let rest = Self.trimmed(text, start..<range.upperBound)
        let end = unfinished ? range.upperBound : rest.isEmpty ? start : rest.upperBound
        return try passages(
          UnsafeBufferPointer(rebasing: text[range.lowerBound..<end]), base: lines.column, from: resume,
          complete: !unfinished)
      }
      let trimmed = Self.trimmed(text, range)
      if unfinished {
        // (Not a passage yet, when there is nothing but white space: the line begins anew.)
        lines.continuing = true
        if trimmed.isEmpty {
          lines.column += Self.codePointCount(UnsafeBufferPointer(rebasing: text[range]))
          return 0
        }
      }
      guard !trimmed.isEmpty else { return 0 }
      // The code points of the line before the paragraph (most lines have no leading space).
      let base =
        trimmed.lowerBound == range.lowerBound
        ? lines.column
        : lines.column + Self.codePointCount(UnsafeBufferPointer(rebasing: text[range.lowerBound..<trimmed.lowerBound]))
      if unfinished {
        return try passages(
          UnsafeBufferPointer(rebasing: text[trimmed.lowerBound..<range.upperBound]), base: base, from: 0, complete: false)
      }
      let paragraph = UnsafeBufferPointer(rebasing: text[trimmed])
      // (A line of more than four bytes a character allowed is long without counting.)
      if trimmed.count <= maxParagraphLength
        || (trimmed.count / 4 <= maxParagraphLength && Self.codePointCount(paragraph) <= maxParagraphLength)
      {
        lines.ordinal += 1
        try body(lines.line, lines.ordinal, base + 1, paragraph)
        return 0
      }
      return try passages(paragraph, base: base, from: 0, complete: true)
    }
    let count = text.count
    guard let base = text.baseAddress else { return 0 }
    /// The offset of the first `byte` at or after `offset`, or `count`.
    func find(_ byte: UInt8, from offset: Int) -> Int {
      guard offset < count, let found = memchr(base + offset, Int32(byte), count - offset) else { return count }
      return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
    // The next LF and the next CR, each searched again only once passed (memchr, many bytes
    // at a time), so a file of either kind of line end is read in one pass.
    var (nextLF, nextCR) = (find(0x0A, from: 0), find(0x0D, from: 0))
    var lineStart = 0
    while true {
      let end = min(nextLF, nextCR)
      guard end < count else { break }
      _ = try line(lineStart..<end)
      lineStart = end + 1
      if end == nextCR && lineStart == nextLF { lineStart += 1 }
      if nextLF < lineStart { nextLF = find(0x0A, from: lineStart) }
      if nextCR < lineStart { nextCR = find(0x0D, from: lineStart) }
    }
    var left = 0
    if lineStart < count {
      left = try line(lineStart..<count, unfinished: end == .inside)
      if end == .cut {
        // (The next portion goes on with the same line, its columns after these.)
        lines.continuing = true
        lines.column += Self.codePointCount(UnsafeBufferPointer(rebasing: text[lineStart..<count]))
      }
    }
    return count - left
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

  /// How many of the eight bytes of `word` are UTF-8 continuation bytes (10xxxxxx: bit 7
  /// set and, one place lower, bit 6 clear).
  @inline(__always)
  static func continuationBytes(in word: UInt64) -> Int {
    // Each one's mark moved to its byte's low bit, and the eight summed in the top byte by
    // one multiplication (the baseline x86-64 has no popcount instruction: a popcount took
    // twelve).
    let marks = (word & ~(word &<< 1) & 0x8080_8080_8080_8080) &>> 7
    return Int(truncatingIfNeeded: (marks &* 0x0101_0101_0101_0101) &>> 56)
  }

  /// The number of code points in valid UTF-8.
  static func codePointCount(_ text: UnsafeBufferPointer<UInt8>) -> Int {
    // Eight bytes at a time.
    var continuations = 0
    var i = 0
    if let base = text.baseAddress {
      while i + 8 <= text.count {
        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        continuations &+= continuationBytes(in: word)
        i &+= 8
      }
    }
    while i < text.count {
      if text[i] & 0xC0 == 0x80 { continuations += 1 }
      i += 1
    }
    return text.count - continuations
  }
}
