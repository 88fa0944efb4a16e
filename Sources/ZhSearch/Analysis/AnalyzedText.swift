/// The result of analyzing one text: its folded form and its tokens.
public struct AnalyzedText: Sendable {
  /// The folded text as UTF-8.
  public var folded: [UInt8]
  /// The tokens, in order of position.
  public var tokens: [Token]

  /// The folded text as code points.
  func codePoints() -> [UInt32] {
    var scalars: [UInt32] = []
    scalars.reserveCapacity(folded.count / 2)
    folded.withUnsafeBufferPointer { bytes in
      var offset = 0
      while offset < bytes.count { scalars.append(Analyzer.decode(bytes, &offset)) }
    }
    return scalars
  }

  /// The folded text of a token.
  public func text(of token: Token) -> String {
    String(decoding: folded[token.folded], as: UTF8.self)
  }
}
