#if canImport(Glibc)
  import Glibc
#endif

/// Times as zhsearch prints them: ISO 8601, in local time for people, in UTC for JSON.
enum TimeText {
  /// `seconds` since 1970 UTC in local time with its offset: `2026-12-08T09:10:00+08:00`.
  static func local(_ seconds: Int64) -> String {
    var time = time_t(seconds)
    var parts = tm()
    guard localtime_r(&time, &parts) != nil else { return utc(seconds) }
    let offset = Int(parts.tm_gmtoff)
    let sign = offset < 0 ? "-" : "+"
    return date(parts) + sign + two(abs(offset) / 3600) + ":" + two(abs(offset) / 60 % 60)
  }

  /// `seconds` since 1970 UTC: `2026-12-08T01:10:00Z`.
  static func utc(_ seconds: Int64) -> String {
    var time = time_t(seconds)
    var parts = tm()
    guard gmtime_r(&time, &parts) != nil else { return String(seconds) }
    return date(parts) + "Z"
  }

  private static func date(_ parts: tm) -> String {
    let year = String(Int(parts.tm_year) + 1900)
    return year + "-" + two(Int(parts.tm_mon) + 1) + "-" + two(Int(parts.tm_mday)) + "T" + two(Int(parts.tm_hour)) + ":"
      + two(Int(parts.tm_min)) + ":" + two(Int(parts.tm_sec))
  }

  private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
