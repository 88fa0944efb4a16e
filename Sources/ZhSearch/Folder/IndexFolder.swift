#if canImport(Glibc)
  import Glibc
#endif

/// What an index folder holds, each entry told apart by what zhsearch wrote into it, not by
/// its name alone: a build touches only entries it can prove it wrote, and refuses a
/// folder with anything else in it.
///
/// A folder that zhsearch writes holds:
/// ```
/// lock                 an empty file, locked while a build runs; never removed
/// manifest             names the current generation (see IndexFormat): a sealed file of kind 0
/// <gen>.<kind>         the data files of a generation, each with the header of its kind,
///                      moved in whole from the scratch folder (generations below 10^18)
/// scratch-<gen>/       a build's own files; made by that build with mkdir, and holding the
///                      `scratchMarker` file from its first moment on (or, if the build
///                      stopped right after the mkdir, nothing or a marker cut short)
/// manifest.tmp         a sealed manifest that zhsearch versions before format 3's scratch
///                      manifests wrote, left by an interrupted build
/// ```
/// Data files of generations other than the manifest's, scratch folders and `manifest.tmp`
/// are leftovers of interrupted or failed builds.
struct IndexFolder {
  /// One entry of the folder, by what it is.
  enum Entry: Equatable {
    case lock
    case manifest(generation: UInt64?)
    case leftoverManifest
    case data(generation: UInt64, kind: IndexFormat.FileKind)
    /// A build's scratch folder: holding the marker, or (a build stopped right after making
    /// it) nothing but a marker cut short, or nothing at all; none of it is the user's data.
    case scratch(generation: UInt64)
  }

  /// The name of the file that marks a scratch folder as a build's own.
  static let scratchMarker = "zhsearch-scratch"
  /// The marker's bytes.
  static let scratchMarkerBytes: [UInt8] = Array("ZHSX scratch folder of a zhsearch index build\n".utf8)
  /// Generations are below this, so that the next one is always a number of its own.
  static let generationLimit: UInt64 = 1_000_000_000_000_000_000

  let directory: String
  let folder: String
  /// Every entry, by name.
  let entries: [(name: String, entry: Entry)]

  /// Lists and recognizes the entries of `directory`.
  ///
  /// - Throws: `IndexError.foreignEntry` naming the first entry that zhsearch did not write.
  init(_ directory: String) throws(IndexError) {
    self.directory = directory
    folder = directory.hasSuffix("/") ? directory : directory + "/"
    var entries: [(name: String, entry: Entry)] = []
    for name in try FileSystem.contents(of: directory).sorted() {
      // (An entry that is gone by the time it is looked at was removed by a build that
      // holds the lock: the folder is listed again under the lock before it is changed.)
      let recognized: Entry?
      do {
        recognized = try Self.recognize(name, in: folder)
      } catch {
        if FileSystem.entryType(folder + name) == nil { continue }
        throw error
      }
      guard let entry = recognized else {
        if FileSystem.entryType(folder + name) == nil { continue }
        throw .foreignEntry(folder: directory, name: name)
      }
      entries.append((name, entry))
    }
    self.entries = entries
  }

  /// The generation the manifest names, when it can be read.
  var currentGeneration: UInt64? {
    for (_, entry) in entries { if case .manifest(let generation) = entry { return generation } }
    return nil
  }

  /// The number for a new generation: above every generation in the folder.
  func nextGeneration() throws(IndexError) -> UInt64 {
    var (highest, holder) = (currentGeneration ?? 0, "manifest")
    for (name, entry) in entries {
      switch entry {
      case .data(let generation, _) where generation > highest, .scratch(let generation) where generation > highest:
        (highest, holder) = (generation, name)
      default: break
      }
    }
    guard highest < Self.generationLimit - 1 else {
      throw .io(path: directory, reason: "\(holder) has the last generation number an index can have; index into a new folder")
    }
    return highest + 1
  }

  /// Whether the folder has a manifest, readable or not.
  var hasManifest: Bool { entries.contains { if case .manifest = $0.entry { true } else { false } } }

  /// Removes what interrupted and failed builds left: scratch folders, `manifest.tmp`, and the
  /// data files of generations the manifest does not name (every generation when there is
  /// no manifest; none when it cannot be read, since which to keep is not known).
  func removeLeftovers() throws(IndexError) {
    let current = currentGeneration
    let removable: (UInt64) -> Bool = hasManifest ? { current != nil && $0 != current } : { _ in true }
    for (name, entry) in entries {
      switch entry {
      case .scratch:
        try Self.removeScratch(folder + name)
      case .leftoverManifest:
        try FileSystem.remove(folder + name)
      case .data(let generation, _) where removable(generation):
        try FileSystem.remove(folder + name)
      default:
        break
      }
    }
  }

  /// Removes the data files of the generations before `generation`, and the scratch folders.
  func removeGenerations(before generation: UInt64) throws(IndexError) {
    for (name, entry) in entries {
      switch entry {
      case .data(let old, _) where old < generation:
        try FileSystem.remove(folder + name)
      case .scratch:
        try Self.removeScratch(folder + name)
      default:
        break
      }
    }
  }

  /// Removes a scratch folder (recognized again first): the regular files in it, the marker
  /// last, then the folder.
  static func removeScratch(_ path: String) throws(IndexError) {
    guard try isScratch(path) else {
      throw .foreignEntry(folder: FileSystem.parentFolder(of: path), name: String(path.split(separator: "/").last ?? ""))
    }
    let names = try FileSystem.contents(of: path)
    for name in names where name != scratchMarker { try FileSystem.remove(path + "/" + name) }
    if names.contains(scratchMarker) { try FileSystem.remove(path + "/" + scratchMarker) }
    try FileSystem.removeDirectory(path)
  }

  /// Makes a new scratch folder and marks it as the build's own; when the marker cannot be
  /// written, the folder is removed again (as far as it can be).
  static func makeScratch(_ path: String) throws(IndexError) {
    try FileSystem.makeNewDirectory(path)
    let marker = path + "/" + scratchMarker
    do throws(IndexError) {
      let descriptor = try FileSystem.createFile(marker, mode: 0o600)
      do {
        try FileSystem.writeAll(scratchMarkerBytes, to: descriptor, path: marker)
      } catch {
        close(descriptor)
        throw error
      }
      try FileSystem.close(descriptor, path: marker)
    } catch {
      try? removeScratch(path)
      throw error
    }
  }

  /// What the entry `name` is, or nil when zhsearch did not write it.
  ///
  /// - Throws: `IndexError.io` when a folder cannot be listed.
  static func recognize(_ name: String, in folder: String) throws(IndexError) -> Entry? {
    let path = folder + name
    let type = FileSystem.entryType(path)
    switch name {
    case "lock":
      var info = stat()
      return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_size == 0 ? .lock : nil
    case "manifest":
      guard type == S_IFREG, let head = try readHead(path, count: 24), hasHeader(head, kind: .manifest) else { return nil }
      let generation = head.count == 24 ? head[16..<24].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : nil
      return .manifest(generation: generation.flatMap { $0 < generationLimit ? $0 : nil })
    case "manifest.tmp":
      guard type == S_IFREG, let head = try readHead(path, count: 8), hasHeader(head, kind: .manifest) else { return nil }
      return .leftoverManifest
    default:
      break
    }
    if name.hasPrefix("scratch-") {
      guard type == S_IFDIR, let generation = number(name.dropFirst(8)) else { return nil }
      return try isScratch(path) ? .scratch(generation: generation) : nil
    }
    guard let dot = name.firstIndex(of: "."), let generation = number(name[..<dot]),
      let kind = IndexFormat.dataKinds.first(where: { $0.suffix == name[name.index(after: dot)...] }),
      type == S_IFREG, let head = try readHead(path, count: 8), hasHeader(head, kind: kind)
    else { return nil }
    return .data(generation: generation, kind: kind)
  }

  /// Whether the folder at `path` is a build's scratch folder (see `Entry.scratch`).
  private static func isScratch(_ path: String) throws(IndexError) -> Bool {
    guard FileSystem.entryType(path) == S_IFDIR else { return false }
    let names = try FileSystem.contents(of: path)
    if names.isEmpty { return true }
    guard names.contains(scratchMarker), let marker = try readHead(path + "/" + scratchMarker, count: scratchMarkerBytes.count + 1)
    else { return false }
    if marker != scratchMarkerBytes {
      // A marker cut short (a build stopped while writing it), alone in the folder.
      return names.count == 1 && scratchMarkerBytes.starts(with: marker)
    }
    // Each of the rest a regular file under a name that a build gives its files.
    return names.allSatisfy { name in
      name == scratchMarker || (isScratchFileName(name) && FileSystem.entryType(path + "/" + name) == S_IFREG)
    }
  }

  /// Whether `name` is one a build gives a file in its scratch folder: `manifest`, a data
  /// file (`<gen>.<kind>`), a worker's texts and paragraph table (`w<n>.text`,
  /// `w<n>.paragraphs`), a spilled scratch run (`s<n>-<n>.docs`, `.positions`, `.terms`,
  /// `.words`) or a merge chunk's postings (`chunk<n>.docs`, `.positions`).
  static func isScratchFileName(_ name: String) -> Bool {
    if name == "manifest" { return true }
    guard let dot = name.lastIndex(of: ".") else { return false }
    let (stem, suffix) = (name[..<dot], String(name[name.index(after: dot)...]))
    func digits(_ text: Substring) -> Bool { !text.isEmpty && text.count <= 18 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    if IndexFormat.dataKinds.contains(where: { $0.suffix == suffix }) && digits(stem) { return true }
    switch suffix {
    case "text", "paragraphs":
      return stem.hasPrefix("w") && digits(stem.dropFirst())
    case "docs", "positions", "terms", "words":
      if stem.hasPrefix("chunk") && (suffix == "docs" || suffix == "positions") { return digits(stem.dropFirst(5)) }
      guard stem.hasPrefix("s"), let dash = stem.firstIndex(of: "-") else { return false }
      return digits(stem[stem.index(after: stem.startIndex)..<dash]) && digits(stem[stem.index(after: dash)...])
    default:
      return false
    }
  }

  /// A generation number written in decimal digits, below the limit.
  private static func number(_ digits: Substring) -> UInt64? {
    guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return UInt64(digits)
  }

  /// Whether `head` starts with the header of an index file of `kind` (any version).
  private static func hasHeader(_ head: [UInt8], kind: IndexFormat.FileKind) -> Bool {
    head.count >= 8 && head.starts(with: IndexFormat.headerMagic) && UInt16(head[6]) | UInt16(head[7]) << 8 == kind.rawValue
  }

  /// Up to `count` bytes from the start of a regular file, without following a symlink or
  /// blocking on a FIFO; nil for anything else (or an entry gone).
  ///
  /// - Throws: `IndexError.io` when the file cannot be read.
  private static func readHead(_ path: String, count: Int) throws(IndexError) -> [UInt8]? {
    try FaultInjector.check(.read, path)
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      // (ELOOP: a symlink; ENXIO: a socket.)
      if errno == ENOENT || errno == ELOOP || errno == ENXIO { return nil }
      throw .io(path: path, reason: FileSystem.errorMessage())
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw .io(path: path, reason: FileSystem.errorMessage()) }
    guard info.st_mode & S_IFMT == S_IFREG else { return nil }
    var bytes = [UInt8](repeating: 0, count: count)
    let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, 0) }
    guard n >= 0 else { throw .io(path: path, reason: FileSystem.errorMessage()) }
    return Array(bytes[..<n])
  }

}
