/// Text from the user's files and paths made safe to print as text: the characters a
/// terminal would act on rather than show are shown escaped, so a file name or a line that
/// holds escape sequences cannot set the window title, clear the screen or reorder what is
/// printed around it.
///
/// Escaped: C0 controls (U+0000-U+001F: `\t`, `\n`, `\r`, the others as `\x1b`), DEL
/// (`\x7f`), C1 controls (U+0080-U+009F) and the bidirectional embeddings, overrides and
/// isolates (U+202A-U+202E, U+2066-U+2069), as `\u{202e}`.
public enum TerminalText {
  /// `text` with every control character and bidirectional override escaped; `text` itself
  /// when it holds none.
  public static func escaped(_ text: String) -> String {
    needsEscaping(text) ? escapedScalars(text) : text
  }

  /// `text` escaped as by `escaped`, but for its line breaks, which stay: for messages of
  /// several lines (the argument parser's, which quote what was typed).
  public static func escapedKeepingLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
  }

  /// Whether `text` holds a character that `escaped` would escape: one pass over its UTF-8
  /// bytes, with no allocation.
  public static func needsEscaping(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { firstUnsafe($0) != nil }
  }

  /// The offset of the first byte of the first character to escape in valid UTF-8, if any.
  static func firstUnsafe(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let count = bytes.count
    while i < count {
      let byte = bytes[i]
      // Every character escaped starts with a byte below 0x20, 0x7F, 0xC2 (C1) or 0xE2
      // (the bidirectional controls); all other bytes pass with one comparison each.
      if byte >= 0x20 && byte != 0x7F && byte != 0xC2 && byte != 0xE2 {
        i &+= 1
        continue
      }
      if byte < 0x20 || byte == 0x7F { return i }
      if byte == 0xC2 {
        if i + 1 < count && bytes[i + 1] < 0xA0 { return i }
      } else if i + 2 < count {
        let (second, third) = (bytes[i + 1], bytes[i + 2])
        if (second == 0x80 && (0xAA...0xAE).contains(third)) || (second == 0x81 && (0xA6...0xA9).contains(third)) {
          return i
        }
      }
      i &+= 1
    }
    return nil
  }

  /// Whether code point `c` is escaped.
  static func isUnsafe(_ c: UInt32) -> Bool {
    c < 0x20 || (0x7F...0x9F).contains(c) || (0x202A...0x202E).contains(c) || (0x2066...0x2069).contains(c)
  }

  private static func escapedScalars(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      let c = scalar.value
      guard isUnsafe(c) else {
        out.unicodeScalars.append(scalar)
        continue
      }
      switch c {
      case 0x09: out += "\\t"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case ..<0x80: out += "\\x" + hex(c, digits: 2)
      default: out += "\\u{" + hex(c, digits: 4) + "}"
      }
    }
    return out
  }

  private static func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }
}
