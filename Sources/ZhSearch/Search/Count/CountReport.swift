/// A query's paragraphs and occurrences per year or per file, over the files in scope:
/// what `zhsearch count` prints.
///
/// By year, every year from the first to the last among the files in scope has a row,
/// rows of zero included; a year no file is about has a row with no files (which is not the
/// same as files without a hit), and the files without a year share one last row. By file,
/// every file in scope has a row, in path order.
public struct CountReport: Sendable, Equatable {
  public enum Grouping: String, Sendable {
    case year, file
  }

  public struct Row: Sendable, Equatable {
    /// The year, or nil for the row of files without one (by year).
    public var year: Int?
    /// The file's path as stored (by file).
    public var file: String?
    /// Files in scope in this row.
    public var files: Int
    public var paragraphs: Int
    public var occurrences: Int
  }

  public let grouping: Grouping
  public let rows: [Row]
  /// The sums over all rows.
  public let files: Int
  public let paragraphs: Int
  public let occurrences: Int

  /// The report of `occurrences` (paragraphs in scope only), over the files `allowed` lets
  /// through (every file when nil).
  public init(occurrences: Occurrences, files: ParagraphFiles, allowed: [Bool]?, by grouping: Grouping) {
    self.grouping = grouping
    let inScope = files.paths.indices.filter { allowed?[$0] ?? true }
    // Each file's row (or nil: not in scope), then each paragraph's counts added to its file's row.
    var rowOfFile = [Int?](repeating: nil, count: files.paths.count)
    var rows: [Row] = []
    switch grouping {
    case .file:
      for file in inScope.sorted(by: { files.paths[$0] < files.paths[$1] }) {
        rowOfFile[file] = rows.count
        rows.append(Row(year: nil, file: files.paths[file], files: 1, paragraphs: 0, occurrences: 0))
      }
    case .year:
      let years = inScope.map { FileYear.year(ofPath: files.paths[$0]) }
      let known = years.compactMap { $0 }
      if let first = known.min(), let last = known.max() {
        rows = (first...last).map { Row(year: $0, file: nil, files: 0, paragraphs: 0, occurrences: 0) }
      }
      if years.contains(nil) { rows.append(Row(year: nil, file: nil, files: 0, paragraphs: 0, occurrences: 0)) }
      let first = known.min() ?? 0
      for (file, year) in zip(inScope, years) {
        let row = year.map { $0 - first } ?? rows.count - 1
        rowOfFile[file] = row
        rows[row].files += 1
      }
    }
    for (paragraph, count) in zip(occurrences.paragraphs, occurrences.counts) {
      guard let row = rowOfFile[Int(files.files[Int(paragraph)])] else { continue }
      rows[row].paragraphs += 1
      rows[row].occurrences += Int(count)
    }
    self.rows = rows
    self.files = inScope.count
    paragraphs = rows.reduce(0) { $0 + $1.paragraphs }
    self.occurrences = rows.reduce(0) { $0 + $1.occurrences }
  }
}
