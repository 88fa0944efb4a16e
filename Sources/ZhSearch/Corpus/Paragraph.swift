/// One searchable unit of a corpus: a non-empty, trimmed line, or a passage of a long line.
public struct Paragraph: Hashable, Sendable {
  /// Index of the paragraph's file in the corpus's file list.
  public var file: Int
  /// 1-based number of the line the paragraph starts on.
  public var line: Int
  /// 1-based ordinal of the paragraph within its file.
  public var ordinal: Int
  /// The paragraph's text, trimmed, as it appears in the file.
  public var text: String

  public init(file: Int, line: Int, ordinal: Int, text: String) {
    self.file = file
    self.line = line
    self.ordinal = ordinal
    self.text = text
  }
}
