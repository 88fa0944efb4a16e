import ZhSearch

/// Renders a count report: aligned columns (with a bar per row on a terminal), CSV, JSON.
enum CountOutput {
  /// Columns: the year or file, files, paragraphs, occurrences; a year without any file is
  /// marked `(no file)`; a total row last. With `bars`, each row ends with a bar of its
  /// occurrences, the longest 30 cells wide.
  static func table(_ report: CountReport, bars: Bool) -> String {
    let labels = report.rows.map(label) + ["total"]
    let width = max(8, labels.map(columns).max() ?? 0)
    let maximum = report.rows.map(\.occurrences).max() ?? 0
    var out = "by \(report.grouping.rawValue)".padding(width + 1) + "files  paragraphs  occurrences\n"
    for (row, label) in zip(report.rows, labels) {
      out += line(label, width, row.files, row.paragraphs, row.occurrences)
      if row.year != nil && row.files == 0 {
        out += "  (no file)"
      } else if bars && row.occurrences > 0 {
        out += "  " + bar(row.occurrences, of: maximum, cells: 30)
      }
      out += "\n"
    }
    out += line("total", width, report.files, report.paragraphs, report.occurrences) + "\n"
    return out
  }

  private static func line(_ label: String, _ width: Int, _ files: Int, _ paragraphs: Int, _ occurrences: Int) -> String {
    label + String(repeating: " ", count: width - columns(label) + 1) + right(files, 5) + right(paragraphs, 12)
      + right(occurrences, 13)
  }

  /// The terminal columns `text` takes: two for an East Asian wide character (Han, kana,
  /// Hangul, full-width forms), one for any other.
  static func columns(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { sum, scalar in
      let v = scalar.value
      let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
        || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
        || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
      return sum + (wide ? 2 : 1)
    }
  }

  private static func right(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: " ", count: max(1, width - text.count)) + text
  }

  private static func label(_ row: CountReport.Row) -> String {
    if let file = row.file { return TerminalText.escaped(PathDisplay.shown(path: file)) }
    return row.year.map(String.init) ?? "no year"
  }

  /// A bar of `value` against `maximum` in `cells` cells, in eighths of a cell.
  static func bar(_ value: Int, of maximum: Int, cells: Int) -> String {
    guard maximum > 0 else { return "" }
    // In Doubles: the counts of a damaged index may be huge, and a bar must not trap.
    let eighths = max(1, Int((Double(value) * Double(cells * 8) / Double(maximum)).rounded()))
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
  }

  /// `year,files,paragraphs,occurrences` (the year empty for files without one) or
  /// `file,paragraphs,occurrences`, one row per line after the header.
  static func csv(_ report: CountReport) -> String {
    switch report.grouping {
    case .year:
      return "year,files,paragraphs,occurrences\n"
        + report.rows.map { "\($0.year.map(String.init) ?? ""),\($0.files),\($0.paragraphs),\($0.occurrences)\n" }.joined()
    case .file:
      return "file,paragraphs,occurrences\n"
        + report.rows.map { "\(field($0.file.map(PathDisplay.shown(path:)) ?? "")),\($0.paragraphs),\($0.occurrences)\n" }.joined()
    }
  }

  /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
  private static func field(_ raw: String) -> String {
    // A path comes from the index: its control characters are escaped, as everywhere.
    let text = TerminalText.escaped(raw)
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
  }

  /// `{"query", "by", "files", "paragraphs", "occurrences", "rows": [{"year", "files",
  /// "paragraphs", "occurrences"}]}` (`year` null for files without one), or by file rows of
  /// `{"file", "paragraphs", "occurrences"}`.
  static func json(_ report: CountReport, query: String) -> String {
    let rows = report.rows.map { row in
      switch report.grouping {
      case .year:
        return "{\"year\":\(row.year.map(String.init) ?? "null"),\"files\":\(row.files),"
          + "\"paragraphs\":\(row.paragraphs),\"occurrences\":\(row.occurrences)}"
      case .file:
        return "{\"file\":\(JSONOutput.string(row.file.map(PathDisplay.shown(path:)) ?? "")),\"paragraphs\":\(row.paragraphs),"
          + "\"occurrences\":\(row.occurrences)}"
      }
    }
    return "{\"query\":\(JSONOutput.string(query)),\"by\":\"\(report.grouping.rawValue)\","
      + "\"files\":\(report.files),\"paragraphs\":\(report.paragraphs),\"occurrences\":\(report.occurrences),"
      + "\"rows\":[\(rows.joined(separator: ","))]}"
  }
}
