/// The year a corpus file is about, read from its name: `count --by year` groups by it.
///
/// The year is the first run of ASCII digits in the file's name (its last path component)
/// that is a whole run (no digit right before or after it), 4, 6 or 8 digits long, and
/// begins with a year from 1900 to 2099: `YYYY`, `YYYYMM` or `YYYYMMDD` (month 01–12, day
/// 01–31). So `gwr-2019-2019年….txt` is 2019 and `xwlb-20220924.txt` is 2022, while
/// `xi-12371-ARTI1513767487382671.txt` (runs of 5 and 16 digits) and `report12019.txt` have
/// none.
public enum FileYear {
  public static func year(ofPath path: String) -> Int? {
    let name = FileFilter.name(of: path)
    let bytes = Array(name.utf8)
    var i = 0
    while i < bytes.count {
      guard isDigit(bytes[i]) else {
        i += 1
        continue
      }
      var end = i
      while end < bytes.count && isDigit(bytes[end]) { end += 1 }
      if let year = year(ofRun: bytes[i..<end]) { return year }
      i = end
    }
    return nil
  }

  private static func year(ofRun run: ArraySlice<UInt8>) -> Int? {
    guard [4, 6, 8].contains(run.count) else { return nil }
    let digits = run.map { Int($0 - UInt8(ascii: "0")) }
    func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
    let year = number(0..<4)
    guard (1900...2099).contains(year) else { return nil }
    if run.count >= 6 && !(1...12).contains(number(4..<6)) { return nil }
    if run.count == 8 && !(1...31).contains(number(6..<8)) { return nil }
    return year
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
