/// A shell-style pattern for file paths, matched by Unicode code points (so `?` is one
/// Chinese character, not one byte): `*` any run within a folder name, `?` one character
/// other than `/`, `[...]` one character of a set (`[a-z]`, `[!0-9]` or `[^0-9]` for its
/// complement), `**` any run across folders (`**/` also none: `a/**/b` matches `a/b`), and
/// `\` takes the next character literally. The whole path must match.
public struct FileGlob: Sendable, Equatable {
  /// The pattern as written.
  public let pattern: String
  private let tokens: [Token]

  private enum Token: Equatable {
    case literal(UInt32)
    case one
    case star
    /// `**`: any run, `/` included.
    case anyPath
    /// `**/`: nothing, or any run that ends with `/`.
    case folders
    case set(ranges: [ClosedRange<UInt32>], negated: Bool)
  }

  /// Whether the pattern names a path (holds a `/`) rather than a file name.
  public var hasSlash: Bool { pattern.unicodeScalars.contains("/") }

  public init(_ pattern: String) {
    self.pattern = pattern
    let scalars = pattern.unicodeScalars.map(\.value)
    let slash = UInt32(UInt8(ascii: "/"))
    var tokens: [Token] = []
    var i = 0
    while i < scalars.count {
      let c = scalars[i]
      switch c {
      case UInt32(UInt8(ascii: "*")):
        if i + 1 < scalars.count && scalars[i + 1] == c {
          // `**` after a `/` (or at the start) and before one is a run of whole folders.
          let wholeComponent = i == 0 || scalars[i - 1] == slash
          if wholeComponent && i + 2 < scalars.count && scalars[i + 2] == slash {
            tokens.append(.folders)
            i += 3
          } else {
            tokens.append(.anyPath)
            i += 2
            while i < scalars.count && scalars[i] == c { i += 1 }
          }
        } else {
          tokens.append(.star)
          i += 1
        }
      case UInt32(UInt8(ascii: "?")):
        tokens.append(.one)
        i += 1
      case UInt32(UInt8(ascii: "\\")) where i + 1 < scalars.count:
        tokens.append(.literal(scalars[i + 1]))
        i += 2
      case UInt32(UInt8(ascii: "[")):
        if let (set, end) = Self.parseSet(scalars, from: i + 1) {
          tokens.append(set)
          i = end
        } else {
          // An unclosed `[` is itself, as in the shell.
          tokens.append(.literal(c))
          i += 1
        }
      default:
        tokens.append(.literal(c))
        i += 1
      }
    }
    self.tokens = tokens
  }

  /// A set from just after its `[` up to its `]`, and the index after the `]`; nil when
  /// it is not closed. A `]` first in the set is a member.
  private static func parseSet(_ scalars: [UInt32], from start: Int) -> (Token, Int)? {
    var i = start
    var negated = false
    if i < scalars.count && (scalars[i] == UInt32(UInt8(ascii: "!")) || scalars[i] == UInt32(UInt8(ascii: "^"))) {
      negated = true
      i += 1
    }
    var ranges: [ClosedRange<UInt32>] = []
    let first = i
    while i < scalars.count {
      var c = scalars[i]
      if c == UInt32(UInt8(ascii: "]")) && i > first { return (.set(ranges: ranges, negated: negated), i + 1) }
      if c == UInt32(UInt8(ascii: "\\")) && i + 1 < scalars.count {
        i += 1
        c = scalars[i]
      }
      if i + 2 < scalars.count && scalars[i + 1] == UInt32(UInt8(ascii: "-")) && scalars[i + 2] != UInt32(UInt8(ascii: "]")) {
        let upper = scalars[i + 2]
        if c <= upper { ranges.append(c...upper) }
        i += 3
      } else {
        ranges.append(c...c)
        i += 1
      }
    }
    return nil
  }

  /// Whether `path` matches the whole pattern.
  public func matches(_ path: String) -> Bool {
    let text = path.unicodeScalars.map(\.value)
    let slash = UInt32(UInt8(ascii: "/"))
    // rest[j]: the tokens from the current one on match text[j...]; computed from the last
    // token back, one row at a time (time tokens × characters, no backtracking blow-up).
    var rest = [Bool](repeating: false, count: text.count + 1)
    rest[text.count] = true
    var row = rest
    for token in tokens.reversed() {
      switch token {
      case .star, .anyPath:
        row[text.count] = rest[text.count]
        for j in stride(from: text.count - 1, through: 0, by: -1) {
          row[j] = rest[j] || (row[j + 1] && (token == .anyPath || text[j] != slash))
        }
      case .folders:
        // Nothing, or a run up to and including some `/` at k >= j.
        var afterSlash = false
        row[text.count] = rest[text.count]
        for j in stride(from: text.count - 1, through: 0, by: -1) {
          if text[j] == slash && rest[j + 1] { afterSlash = true }
          row[j] = rest[j] || afterSlash
        }
      default:
        row[text.count] = false
        for j in 0..<text.count { row[j] = Self.accepts(token, text[j]) && rest[j + 1] }
      }
      swap(&row, &rest)
    }
    return rest[0]
  }

  private static func accepts(_ token: Token, _ c: UInt32) -> Bool {
    switch token {
    case .literal(let l): return c == l
    case .one: return c != UInt32(UInt8(ascii: "/"))
    case .set(let ranges, let negated):
      guard c != UInt32(UInt8(ascii: "/")) else { return false }
      return ranges.contains { $0.contains(c) } != negated
    default: return false
    }
  }
}
