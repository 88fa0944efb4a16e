/// Which indexed files `--in GLOB` lets through: a file passes when any glob matches it.
///
/// A glob without a `/` matches the file's name (its last path component), as ripgrep's
/// `-g` does: `gwr-*`. A glob with a `/` matches the path, in any of the forms a user may
/// have in mind: as stored in the index, as printed (relative to the current folder when
/// the stored path is absolute and lies below it), and as an absolute path (the current
/// folder joined to a relative stored path); a leading `./` is ignored on both sides. All
/// of the path logic is here, so a change in how paths are stored or printed changes this
/// type only.
public struct FileFilter: Sendable {
  public let globs: [FileGlob]
  /// The folder relative paths are taken from (no trailing `/`).
  public let currentDirectory: String

  public init(globs: [String], currentDirectory: String) {
    self.globs = globs.map { FileGlob(Self.trimmingDotSlash($0)) }
    var folder = currentDirectory
    while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
    self.currentDirectory = folder
  }

  /// Whether the file stored as `path` passes.
  public func allows(_ path: String) -> Bool {
    globs.contains { matches($0, path) }
  }

  /// Which of the files stored as `paths` pass, and the globs that match none of them.
  public func allowed(_ paths: [String]) -> (allowed: [Bool], unmatched: [String]) {
    var used = [Bool](repeating: false, count: globs.count)
    let allowed = paths.map { path in
      var passes = false
      for (g, glob) in globs.enumerated() where matches(glob, path) {
        used[g] = true
        passes = true
      }
      return passes
    }
    return (allowed, globs.indices.filter { !used[$0] }.map { globs[$0].pattern })
  }

  /// Whether `glob` matches the file stored as `path`.
  public func matches(_ glob: FileGlob, _ path: String) -> Bool {
    guard glob.hasSlash else { return glob.matches(Self.name(of: path)) }
    return forms(of: path).contains { glob.matches($0) }
  }

  /// The forms of a stored path a glob with a slash is matched against.
  func forms(of path: String) -> [String] {
    let stored = Self.trimmingDotSlash(path)
    var forms = [stored]
    let prefix = currentDirectory == "/" ? "/" : currentDirectory + "/"
    if stored.hasPrefix("/") {
      if stored.hasPrefix(prefix) { forms.append(String(stored.dropFirst(prefix.count))) }
    } else {
      forms.append(prefix + stored)
    }
    return forms
  }

  /// The last path component.
  static func name(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  private static func trimmingDotSlash(_ path: String) -> String {
    var rest = Substring(path)
    while rest.hasPrefix("./") {
      rest = rest.dropFirst(2)
      while rest.hasPrefix("/") { rest = rest.dropFirst() }
    }
    return String(rest)
  }
}
