/// A count report as a standalone SVG bar chart of occurrences per year (or per file): the
/// query as title, the totals under it, a y axis with round ticks, a label per bar. Years
/// without any file are labelled so, and files without a year have their own bar.
public enum CountChart {
  /// The comment every chart starts with: what tells a file zhsearch may overwrite.
  public static let marker = "<!-- zhsearch count chart -->"

  public static func svg(_ report: CountReport, query: String) -> String {
    let rows = report.rows
    let labels = rows.map(label)
    let slot = Double(max(14, min(48, 900 / max(1, rows.count))))
    let plotWidth = slot * Double(max(1, rows.count))
    let plotHeight = 320.0
    let rotate = report.grouping == .file || rows.count > 12
    let longest = labels.map(\.count).max() ?? 0
    let (left, top, right) = (80.0, 70.0, 30.0)
    let bottom = rotate ? min(260.0, 30 + 8 * Double(longest)) + 30 : 70
    let unit = report.grouping == .year ? "per year" : "per file"
    let subtitle = "occurrences \(unit): \(report.occurrences) in \(count(report.paragraphs, "paragraph")) of \(count(report.files, "file"))"
    // Wide enough for the title (about 18 px a character) and the subtitle (about 7 px)
    // when there are few bars.
    let width = max(left + plotWidth + right, 40 + 7.5 * Double(subtitle.count), 40 + 18 * Double(query.count))
    let height = top + plotHeight + bottom
    let maximum = rows.map(\.occurrences).max() ?? 0
    let (step, ticks) = axis(maximum)
    let scale = plotHeight / Double(max(1, step * ticks))
    let font = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif\""
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(marker)\n"
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" \(font) font-size=\"12\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    out += "<text x=\"\(n(width / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"18\">\(xml(query))</text>\n"
    out += "<text x=\"\(n(width / 2))\" y=\"50\" text-anchor=\"middle\" fill=\"#555\">\(subtitle)</text>\n"
    let baseline = top + plotHeight
    for tick in 0...ticks {
      let y = baseline - Double(tick * step) * scale
      out += "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y))\" stroke=\"#ddd\"/>\n"
      out += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(tick * step)</text>\n"
    }
    for (i, row) in rows.enumerated() {
      let x = left + slot * Double(i)
      let barHeight = Double(row.occurrences) * scale
      if row.occurrences > 0 {
        out += "<rect x=\"\(n(x + slot * 0.15))\" y=\"\(n(baseline - barHeight))\" width=\"\(n(slot * 0.7))\" height=\"\(n(barHeight))\" fill=\"#3b6ea5\"><title>\(xml(labels[i])): \(row.occurrences)</title></rect>\n"
      }
      let centre = x + slot / 2
      let colour = row.files == 0 ? " fill=\"#999\"" : ""
      if rotate {
        out += "<text x=\"\(n(centre))\" y=\"\(n(baseline + 12))\" text-anchor=\"end\" transform=\"rotate(-60 \(n(centre)) \(n(baseline + 12)))\"\(colour)>\(xml(labels[i]))</text>\n"
      } else {
        out += "<text x=\"\(n(centre))\" y=\"\(n(baseline + 16))\" text-anchor=\"middle\"\(colour)>\(xml(labels[i]))</text>\n"
      }
    }
    out += "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(baseline))\" stroke=\"black\"/>\n"
    out += "<line x1=\"\(n(left))\" y1=\"\(n(baseline))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(baseline))\" stroke=\"black\"/>\n"
    out += "<text x=\"20\" y=\"\(n(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(n(top + plotHeight / 2)))\">occurrences</text>\n"
    out += "<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(height - 10))\" text-anchor=\"middle\">\(report.grouping == .year ? "year" : "file")</text>\n"
    return out + "</svg>\n"
  }

  /// A row's label: the year (marked when no file is about it), `no year`, or the file's name.
  static func label(_ row: CountReport.Row) -> String {
    if let file = row.file { return FileFilter.name(of: file) }
    guard let year = row.year else { return "no year" }
    return row.files == 0 ? "\(year) (no file)" : String(year)
  }

  /// A round tick step (1, 2 or 5 times a power of ten) and how many ticks reach `maximum`.
  static func axis(_ maximum: Int) -> (step: Int, ticks: Int) {
    guard maximum > 0 else { return (1, 1) }
    // The smallest round step that reaches the maximum in at most five ticks.
    var power = 1
    while true {
      // (A step whose five ticks pass Int's range reaches any maximum.)
      for factor in [1, 2, 5] {
        let step = factor * power
        let (reach, overflow) = step.multipliedReportingOverflow(by: 5)
        if overflow || reach >= maximum { return (step, (maximum - 1) / step + 1) }
      }
      power *= 10
    }
  }

  private static func count(_ value: Int, _ noun: String) -> String {
    value == 1 ? "1 \(noun)" : "\(value) \(noun)s"
  }

  private static func n(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
  }

  /// Text made safe inside an XML element: markup escaped, characters XML 1.0 forbids replaced.
  static func xml(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default:
        let v = scalar.value
        let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v != 0xFFFE && v != 0xFFFF)
        out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
      }
    }
    return out
  }
}
