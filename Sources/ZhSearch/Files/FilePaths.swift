#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Paths as the index stores them (absolute) and as zhsearch prints them (so that they open
/// from where the user stands).
///
/// Both work on the text of a path, without looking at the disk: a symlink in a path is
/// kept, so the path names the file the way the user reached it.
public enum FilePaths {
  /// The current folder (as `getcwd` gives it: symlinks resolved, the same at index and at
  /// search time); nil when it cannot be found (removed, or too deep).
  public static func currentDirectory() -> String? {
    guard let buffer = getcwd(nil, 0) else { return nil }
    defer { free(buffer) }
    return String(cString: buffer)
  }

  /// `path` made absolute against `base` (an absolute folder) and normalized; `path` itself,
  /// normalized, when it is absolute already or `base` is nil.
  public static func absolute(_ path: String, base: String?) -> String {
    if path.hasPrefix("/") { return normalized(path) }
    guard let base else { return path }
    return normalized(base + "/" + path)
  }

  /// An absolute path without `.` or `..` components or repeated or trailing slashes
  /// (`..` at the root stays at the root, as the kernel reads it).
  static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// How to print the absolute path `path` for a user in `base`: relative to it when the
  /// file lies below it, else `path` as it is (and so a path that is not absolute, from an
  /// older index, too). Below the root, the absolute path is the clearer one.
  public static func display(_ path: String, from base: String?) -> String {
    guard let base, base != "/", path.hasPrefix("/") else { return path }
    let folder = base.hasSuffix("/") ? base : base + "/"
    // (Compared byte by byte: a path is bytes, not text whose characters may be equivalent.)
    guard path.utf8.count > folder.utf8.count, path.utf8.starts(with: folder.utf8) else { return path }
    return String(decoding: path.utf8.dropFirst(folder.utf8.count), as: UTF8.self)
  }
}
