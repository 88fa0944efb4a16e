#if canImport(Glibc)
  import Glibc
#endif

/// Which indexed file a path typed by the user names (`zhsearch show FILE:LINE`).
public enum FileLookup {
  /// What a lookup found.
  public enum Outcome: Equatable, Sendable {
    /// The index of the one file named.
    case found(Int)
    /// No indexed file is named.
    case none
    /// Several files end with the name given (their indexes): the name is ambiguous.
    case ambiguous([Int])
  }

  /// The file `path` names among the stored `names`: one stored as `path`; else the same
  /// file (the canonical absolute paths, symlinks resolved, of both agree: `path` as seen
  /// from here, a stored name as stored); else the one stored name that ends with `/path`.
  public static func find(_ path: String, in names: [String]) -> Outcome {
    if let exact = names.firstIndex(of: path) { return .found(exact) }
    if let wanted = canonical(path), let same = names.firstIndex(where: { canonical($0) == wanted }) {
      return .found(same)
    }
    let suffix = "/" + path
    let ending = names.indices.filter { names[$0].hasSuffix(suffix) }
    switch ending.count {
    case 0: return .none
    case 1: return .found(ending[0])
    default: return .ambiguous(ending)
    }
  }

  /// The canonical absolute path of an existing file, or nil.
  static func canonical(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
