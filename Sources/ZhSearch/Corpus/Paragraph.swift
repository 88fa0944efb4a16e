/// One searchable unit of a corpus: a non-empty, trimmed line, or a passage of a long line.
public struct Paragraph: Hashable, Sendable {
  /// Index of the paragraph's file in the corpus's file list.
  public var file: Int
  /// 1-based number of the line the paragraph starts on.
  public var line: Int
  /// 1-based ordinal of the paragraph within its file.
  public var ordinal: Int
  /// 1-based column (in code points) where the paragraph starts in its line: 1 but for
  /// passages after a line's first and lines that start with white space.
  public var column: Int
  /// The paragraph's text, trimmed, as it appears in the file.
  public var text: String

  public init(file: Int, line: Int, ordinal: Int, column: Int = 1, text: String) {
    self.file = file
    self.line = line
    self.ordinal = ordinal
    self.column = column
    self.text = text
  }
}
