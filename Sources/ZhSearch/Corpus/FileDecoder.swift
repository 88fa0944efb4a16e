#if canImport(Glibc)
  import Glibc
#endif
import CICUShim

/// Reads a text file a chunk at a time as UTF-8, whatever its encoding, in bounded memory.
///
/// The first chunk (up to `chunkSize` bytes) decides the encoding (`TextEncoding.detect`)
/// unless one is given. UTF-8 is passed through, a malformed sequence replaced with U+FFFD;
/// other charsets go through an ICU converter, which does the same. The text is handed on
/// in portions that end after a line break, so lines stay whole, except a line longer than
/// `pieceSize`, which is handed on in pieces: the receiver takes what it can cut into
/// passages for sure and leaves the rest, which comes again at the start of the next
/// piece. What is left may grow to `maxPortion`; the receiver must then take it all.
/// Memory: a chunk, its conversion, and a piece and at most `maxPortion` bytes of an
/// unfinished line, whatever the file's size. Not thread-safe: one decoder per thread,
/// reused from file to file.
package final class FileDecoder {
  /// Bytes read at a time.
  static let chunkSize = 1 << 20
  /// The bytes of an unfinished line held before they are handed on.
  static let pieceSize = 1 << 20
  /// The longest portion handed on without a line break in it.
  static let maxPortion = 8 << 20

  /// How a portion of text ends.
  enum PortionEnd {
    /// After a line break, or at the end of the file.
    case line
    /// Inside a line that goes on: the receiver may leave bytes at the end, handed on again.
    case inside
    /// Inside a line that goes on, with `maxPortion` bytes or more: the receiver takes all.
    case cut
  }

  /// What reading a file did.
  struct Outcome {
    var bytes = 0
    var encoding = TextEncoding.utf8
    /// Malformed or unmappable sequences (for UTF-8: bytes) replaced with U+FFFD, and the
    /// file offset of the first one.
    var invalid = 0
    var firstInvalid: Int? = nil
    /// Set when reading stopped early at a read error; what came before was handed on.
    var readError: String? = nil
  }

  /// Why a file was not read at all.
  enum Problem: Error, Equatable {
    case unreadable(String)
    /// A FIFO, socket or device (its `st_mode`).
    case notRegular(mode_t)
    case empty
    case binary(String)
  }

  private let chunkSize: Int
  private let pieceSize: Int
  private let maxPortion: Int
  private var raw: [UInt8]
  private var converted: [UInt8] = []
  private var pending: [UInt8] = []
  /// Seconds spent in `read` calls so far, for the build's stage timings.
  private(set) var readSeconds = 0.0
  /// The size and modification time (nanoseconds since 1970 UTC) of the file `decode` read
  /// last, as `fstat` found them, and the encoding it was read in (nil when it was not):
  /// what the index records of the file. Nil when the file could not be opened.
  private(set) var lastFile: (bytes: Int, modified: Int64, encoding: TextEncoding?)? = nil

  package init(chunkSize: Int = FileDecoder.chunkSize, pieceSize: Int = FileDecoder.pieceSize, maxPortion: Int = FileDecoder.maxPortion) {
    self.chunkSize = max(16, chunkSize)
    self.maxPortion = max(16, maxPortion)
    self.pieceSize = min(max(16, pieceSize), self.maxPortion)
    raw = [UInt8](repeating: 0, count: self.chunkSize)
  }

  /// Reads the file at `path` and calls `portion` with its text, valid UTF-8, in order, and
  /// how it ends; `portion` returns how many of the bytes it took (all but those of a piece
  /// of a line that ends `.inside` which it leaves to come again).
  func decode<E: Error>(
    _ path: String, encoding forced: TextEncoding?,
    _ portion: (_ text: UnsafeBufferPointer<UInt8>, _ end: PortionEnd) throws(E) -> Int
  ) throws(E) -> Result<Outcome, Problem> {
    lastFile = nil
    // (Without blocking: opening a FIFO for reading waits for a writer. A regular file's
    // reads ignore the flag.)
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return .failure(.unreadable(Self.errorMessage())) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable(Self.errorMessage())) }
    guard info.st_mode & S_IFMT != S_IFDIR else { return .failure(.unreadable("is a folder")) }
    guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular(info.st_mode)) }
    lastFile = (Int(info.st_size), Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec), nil)

    var outcome = Outcome()
    let readStart = Timings.now()
    var filled = 0
    // The first chunk: the sample that decides the encoding.
    var atEnd = false
    while filled < chunkSize {
      let n = raw.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, chunkSize - filled) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(.unreadable(Self.errorMessage()))
      }
      if n == 0 {
        atEnd = true
        break
      }
      filled += n
    }
    readSeconds += Timings.now() - readStart
    guard filled > 0 else { return .failure(.empty) }
    let detection: TextEncoding.Detection =
      forced.map { .text($0, skip: 0) }
      ?? raw.withUnsafeBytes { TextEncoding.detect(UnsafeRawBufferPointer(rebasing: $0[0..<filled]), isWhole: atEnd) }
    guard case .text(let encoding, let skip, let sampleChecked) = detection else {
      if case .binary(let reason) = detection { return .failure(.binary(reason)) }
      return .failure(.binary("unknown"))
    }
    outcome.encoding = encoding
    lastFile?.encoding = encoding
    var converter: OpaquePointer? = nil
    if case .charset(let name) = encoding {
      var code: Int32 = 0
      guard let opened = cicu_converter_open(name, &code) else {
        return .failure(.unreadable("ICU has no converter for \(name)"))
      }
      converter = opened
    }
    defer { if let converter { cicu_converter_close(converter) } }

    pending.removeAll(keepingCapacity: true)
    // File offset of pending[0] (UTF-8 files: pending holds the file's own bytes).
    var pendingOffset = skip
    var chunkStart = skip
    /// The bytes of `text` repaired, or nil when it is valid UTF-8 (it starts at file offset
    /// `pendingOffset`), counting what was replaced.
    func repaired(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
      guard converter == nil, let bad = UTF8Validation.firstInvalid(text) else { return nil }
      if outcome.firstInvalid == nil { outcome.firstInvalid = pendingOffset + bad }
      outcome.invalid += Self.invalidCount(text, from: bad)
      return Array(String(decoding: text, as: UTF8.self).utf8)
    }
    /// Hands `text`, which ends a line, on, UTF-8 checked (unless detection already did) and
    /// repaired.
    func handOn(_ text: UnsafeBufferPointer<UInt8>, checked: Bool = false) throws(E) {
      if !checked, let repaired = repaired(text) {
        _ = try repaired.withUnsafeBufferPointer { repaired throws(E) in try portion(repaired, .line) }
      } else {
        _ = try portion(text, .line)
      }
    }
    while true {
      outcome.bytes += filled
      // The rest of a UTF-8 file, whole in the read buffer (most files): handed on from
      // there, not copied.
      if converter == nil && atEnd && pending.isEmpty {
        // The first chunk, when the whole file, was validated by detection.
        let wholeChecked = sampleChecked && chunkStart == skip && pendingOffset == skip
        try raw.withUnsafeBufferPointer { all throws(E) in
          try handOn(UnsafeBufferPointer(rebasing: all[chunkStart..<filled]), checked: wholeChecked)
        }
        break
      }
      // Add this chunk's text to the pending bytes.
      if let converter {
        let input = filled - chunkStart
        let capacity = 3 * input + 16384
        if converted.count < capacity { converted = [UInt8](repeating: 0, count: capacity) }
        var consumed: Int64 = 0
        var code: Int32 = 0
        let written = raw.withUnsafeBufferPointer { source in
          converted.withUnsafeMutableBufferPointer { out in
            cicu_converter_to_utf8(
              converter, source.baseAddress! + chunkStart, Int64(input), atEnd ? 1 : 0,
              out.baseAddress!, Int64(capacity), &consumed, &code)
          }
        }
        guard code <= 0, Int(consumed) == input else {
          return .failure(.unreadable("conversion from \(encoding) failed (\(String(cString: cicu_error_name(code))))"))
        }
        pending.append(contentsOf: converted[0..<Int(written)])
      } else {
        pending.append(contentsOf: raw[chunkStart..<filled])
      }
      // Hand on what ends in a line break (everything, at the end of the file).
      let cut = atEnd ? pending.count : Self.lastLineEnd(pending)
      if cut > 0 {
        try pending.withUnsafeBufferPointer { all throws(E) in try handOn(UnsafeBufferPointer(rebasing: all[0..<cut])) }
        pending.removeSubrange(0..<cut)
        pendingOffset += cut
      } else if pending.count > pieceSize {
        // A long line: hand on a piece, cut before a sequence the end may have split (and
        // before a last CR, which may be half of a CR LF).
        var piece = pending.count
        var k = pending.count - 1
        while k > 0 && pending.count - k < 4 && pending[k] & 0xC0 == 0x80 { k -= 1 }
        if pending[k] >= 0xC0 && k > 0 { piece = k }
        if pending[piece - 1] == 0x0D { piece -= 1 }
        let end = pending.count > maxPortion ? PortionEnd.cut : .inside
        // Repaired in place, so that what the receiver leaves comes again repaired.
        let fixed = pending.withUnsafeBufferPointer { all in repaired(UnsafeBufferPointer(rebasing: all[0..<piece])) }
        if let fixed {
          pending.replaceSubrange(0..<piece, with: fixed)
          piece = fixed.count
        }
        let taken = try pending.withUnsafeBufferPointer { all throws(E) in
          try portion(UnsafeBufferPointer(rebasing: all[0..<piece]), end)
        }
        pending.removeSubrange(0..<taken)
        pendingOffset += taken
      }
      if atEnd { break }
      // The next chunk.
      let chunkReadStart = Timings.now()
      defer { readSeconds += Timings.now() - chunkReadStart }
      filled = 0
      chunkStart = 0
      while filled < chunkSize {
        let n = raw.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, chunkSize - filled) }
        if n < 0 {
          if errno == EINTR { continue }
          outcome.readError = Self.errorMessage()
          atEnd = true
          break
        }
        if n == 0 {
          atEnd = true
          break
        }
        filled += n
      }
    }
    if let converter {
      var first: Int64 = -1
      outcome.invalid = Int(cicu_converter_invalid(converter, &first))
      outcome.firstInvalid = first >= 0 ? Int(first) + skip : nil
    }
    return .success(outcome)
  }

  /// The index just after the last complete line break in `bytes` (LF, CR LF, or a CR that
  /// is not the last byte, which might be the first half of a CR LF), or 0.
  static func lastLineEnd(_ bytes: [UInt8]) -> Int {
    var i = bytes.count - 1
    while i >= 0 {
      let byte = bytes[i]
      if byte == 0x0A || (byte == 0x0D && i < bytes.count - 1) { return i + 1 }
      i -= 1
    }
    return 0
  }

  /// The bytes of `text` from `first` on that start no well-formed sequence.
  private static func invalidCount(_ text: UnsafeBufferPointer<UInt8>, from first: Int) -> Int {
    var count = 0
    var i = first
    while i < text.count {
      if text[i] < 0x80 {
        i += 1
        continue
      }
      let length = UTF8Validation.sequenceLength(text, at: i)
      if length == 0 {
        count += 1
        i += 1
      } else {
        i += length
      }
    }
    return count
  }

  private static func errorMessage() -> String { String(cString: strerror(errno)) }
}
