extension Hit {
  /// The 1-based column (code points) of the first match in its line, as `rg --column`
  /// prints it: where the paragraph starts in its line plus the match's offset in it; the
  /// paragraph's own column when nothing is highlighted; 0 when the index does not record
  /// columns (format versions before 4).
  public var column: Int {
    guard paragraph.column > 0 else { return 0 }
    return paragraph.column + (highlights.first?.lowerBound ?? 0)
  }
}
