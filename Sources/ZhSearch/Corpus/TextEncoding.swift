import CICUShim

#if canImport(Glibc)
  import Glibc
#endif

/// The encoding of a corpus file: UTF-8, or any charset ICU converts (GB18030, Big5,
/// UTF-16LE, ...), by its ICU name.
public enum TextEncoding: Equatable, Sendable, CustomStringConvertible {
  case utf8
  case charset(String)

  /// The encoding named `name` (any ICU converter name or alias, case-insensitive), or nil
  /// when ICU knows no such charset.
  public init?(name: String) {
    let folded = name.lowercased().filter { $0 != "-" && $0 != "_" }
    if folded == "utf8" {
      self = .utf8
      return
    }
    var code: Int32 = 0
    guard let converter = cicu_converter_open(name, &code) else { return nil }
    let canonical = String(cString: cicu_converter_name(converter))
    cicu_converter_close(converter)
    self = canonical == "UTF-8" ? .utf8 : .charset(canonical)
  }

  public var description: String {
    switch self {
    case .utf8: return "UTF-8"
    case .charset(let name): return name
    }
  }

  /// What a file's first bytes say it is.
  enum Detection: Equatable {
    /// Text in `encoding`, after a byte order mark of `skip` bytes; `checked` when the whole
    /// sample was found to be well-formed UTF-8.
    case text(TextEncoding, skip: Int, checked: Bool = false)
    /// Not text zhsearch can read; `reason` says why.
    case binary(reason: String)
  }

  /// Detects the encoding of a file from its first bytes, `sample` (the whole file when
  /// `isWhole`).
  ///
  /// In order: a byte order mark (UTF-8, UTF-16 or UTF-32, either byte order); NUL bytes
  /// without one make the file binary; UTF-8 when at least two thirds of the sample's
  /// non-ASCII bytes are in well-formed UTF-8 sequences (the rest is replaced on reading; in
  /// GB18030 or Big5 text only some pairs of bytes happen to be UTF-8); else GB18030 or
  /// Big5, whichever decodes the sample into more of the most common Chinese characters, if
  /// that is at least 10% of its characters (text in either has about 40%; bytes of any
  /// other kind decoded as either fall far below).
  static func detect(_ sample: UnsafeRawBufferPointer, isWhole: Bool) -> Detection {
    let bytes = sample.bindMemory(to: UInt8.self)
    func starts(with prefix: [UInt8]) -> Bool {
      bytes.count >= prefix.count && zip(bytes, prefix).allSatisfy { $0 == $1 }
    }
    if starts(with: [0xEF, 0xBB, 0xBF]) { return .text(.utf8, skip: 3) }
    if starts(with: [0xFF, 0xFE, 0, 0]) { return .text(.charset("UTF-32LE"), skip: 4) }
    if starts(with: [0, 0, 0xFE, 0xFF]) { return .text(.charset("UTF-32BE"), skip: 4) }
    if starts(with: [0xFF, 0xFE]) { return .text(.charset("UTF-16LE"), skip: 2) }
    if starts(with: [0xFE, 0xFF]) { return .text(.charset("UTF-16BE"), skip: 2) }
    if let base = sample.baseAddress, memchr(base, 0, sample.count) != nil {
      return .binary(reason: "holds NUL bytes (a binary file, or UTF-16 without a byte order mark)")
    }
    // Most files are well-formed UTF-8 throughout: one fast pass tells.
    if UTF8Validation.firstInvalid(bytes) == nil { return .text(.utf8, skip: 0, checked: true) }
    let (valid, invalid) = utf8SequenceCounts(bytes, isWhole: isWhole)
    if invalid == 0 || valid >= 2 * invalid { return .text(.utf8, skip: 0) }
    var best: (name: String, share: Double)? = nil
    for name in ["GB18030", "Big5"] {
      let share = commonCharacterShare(sample, charset: name, isWhole: isWhole)
      if share >= 0.10 && share > best?.share ?? 0 { best = (name, share) }
    }
    if let best { return .text(.charset(best.name), skip: 0) }
    return .binary(reason: "not UTF-8, GB18030 or Big5 text (give its encoding with --encoding)")
  }

  /// Non-ASCII bytes in `bytes` that are in well-formed UTF-8 sequences, and those that
  /// start none (a sequence cut off by the end of a sample that is not the whole file is
  /// neither).
  static func utf8SequenceCounts(_ bytes: UnsafeBufferPointer<UInt8>, isWhole: Bool) -> (valid: Int, invalid: Int) {
    var valid = 0
    var invalid = 0
    var i = 0
    while i < bytes.count {
      if bytes[i] < 0x80 {
        i += 1
        continue
      }
      let length = UTF8Validation.sequenceLength(bytes, at: i)
      if length > 0 {
        valid += length
        i += length
      } else if !isWhole && bytes.count - i < 4 && UTF8Validation.isTruncatedSequence(bytes, at: i) {
        break
      } else {
        invalid += 1
        i += 1
      }
    }
    return (valid, invalid)
  }

  /// The share of the characters that `sample` decodes to in `charset` that are among the
  /// 200 most common in Chinese text (simplified or traditional).
  static func commonCharacterShare(_ sample: UnsafeRawBufferPointer, charset: String, isWhole: Bool) -> Double {
    var code: Int32 = 0
    guard let converter = cicu_converter_open(charset, &code), let source = sample.baseAddress, !sample.isEmpty
    else { return 0 }
    defer { cicu_converter_close(converter) }
    let capacity = 3 * sample.count + 16384
    var output = [UInt8](repeating: 0, count: capacity)
    var consumed: Int64 = 0
    let written = output.withUnsafeMutableBufferPointer { out in
      cicu_converter_to_utf8(
        converter, source.assumingMemoryBound(to: UInt8.self), Int64(sample.count), isWhole ? 1 : 0,
        out.baseAddress!, Int64(capacity), &consumed, &code)
    }
    guard code <= 0, written > 0 else { return 0 }
    var characters = 0
    var common = 0
    for scalar in String(decoding: output[0..<Int(written)], as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
      characters += 1
      if Self.commonCharacters.contains(scalar.value) { common += 1 }
    }
    return characters == 0 ? 0 : Double(common) / Double(characters)
  }

  /// The 200 most common characters of the speeches and news of the shared corpus (58% of
  /// their Han text), with their traditional forms.
  static let commonCharacters: Set<UInt32> = Set(
    ("的国中新和发人大会在全一展年业进作地动民主要化日行建同加平方以工实为力出家联强部央成高合政产重生开共等了持有对上经设体总近"
      + "推多是党关个习时播代不长区现天务月我面能增今军来制消机视理表美各网提定系保量文好闻领议社员十济息到前通治统度法续深将坚目基际"
      + "学市入用利公运分资战期斯更示事安委改内第水两自万称海次场义交创本向于正快外心导科过调特道与色技农造下席电活记们施俄点性式质明"
      + "路举项数当程革指立北企这步局应國發會業進動實為聯強產開對經設體總黨關個習時長區現務軍來機視網濟續將堅際學運資戰內兩萬稱場義創"
      + "於導過調與農電記們點質舉項數當這應").unicodeScalars.map(\.value))
}
