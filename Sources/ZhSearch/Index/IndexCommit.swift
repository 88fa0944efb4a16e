#if canImport(Glibc)
  import Glibc
#endif

/// Writes a new generation of an index folder so that readers always see a whole index.
///
/// The protocol: take an exclusive lock on `DIR/lock` (a second build waits for the first);
/// write each data file under a new generation number and fsync it; fsync the folder; write
/// the manifest to `manifest.tmp`, fsync it and rename it over `manifest` (atomic); fsync the
/// folder again; then delete the files of older generations and any scratch folder. A run
/// interrupted before the rename leaves the previous manifest, and so the previous index, in
/// force; its orphan files are removed by the next build.
final class IndexCommit {
  let directory: String
  let folder: String
  /// The generation being written.
  let generation: UInt64
  private let lock: Int32
  private var names: [String]
  private var released = false

  /// Whether `name` is a file or folder that a zhsearch index folder may hold.
  static func isIndexFileName(_ name: String) -> Bool {
    if name == "manifest" || name == "manifest.tmp" || name == "lock" || name.hasPrefix("scratch-") {
      return true
    }
    return generation(ofFileName: name) != nil
  }

  /// The generation number of a data file name such as `000003.terms`.
  static func generation(ofFileName name: String) -> UInt64? {
    guard let dot = name.firstIndex(of: "."),
      IndexFormat.dataKinds.contains(where: { $0.suffix == name[name.index(after: dot)...] })
    else { return nil }
    let digits = name[..<dot]
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return UInt64(digits)
  }

  /// Locks `directory` (creating it if needed) and chooses the next generation number.
  ///
  /// When another build holds the lock, `waiting` is called once and the lock is awaited.
  ///
  /// - Throws: `IndexError.notAnIndex` when the folder holds anything but an index.
  init(directory: String, waiting: () -> Void = {}) throws(IndexError) {
    self.directory = directory
    folder = directory.hasSuffix("/") ? directory : directory + "/"
    if FileSystem.exists(directory) {
      guard FileSystem.isDirectory(directory) else { throw .notAnIndex(path: directory) }
      let existing = try FileSystem.contents(of: directory)
      if !existing.allSatisfy(Self.isIndexFileName) { throw .notAnIndex(path: directory) }
    } else {
      try FileSystem.makeDirectory(directory)
    }
    lock = open(folder + "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard lock >= 0 else { throw .io(path: folder + "lock", reason: FileSystem.errorMessage()) }
    if flock(lock, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK { waiting() }
    while flock(lock, LOCK_EX) != 0 {
      if errno != EINTR {
        let reason = FileSystem.errorMessage()
        close(lock)
        throw .io(path: folder + "lock", reason: reason)
      }
    }
    // Listed under the lock: no other build is writing now.
    do {
      names = try FileSystem.contents(of: directory)
    } catch {
      close(lock)
      throw error
    }
    generation = (names.compactMap(Self.generation(ofFileName:)).max() ?? 0) + 1
  }

  deinit { release() }

  /// The path of this generation's file of `kind`.
  func path(of kind: IndexFormat.FileKind) -> String { folder + kind.fileName(generation: generation) }

  /// A scratch folder for this build's temporary files, removed when the build ends.
  func makeScratchFolder() throws(IndexError) -> String {
    let path = folder + "scratch-\(generation)"
    FileSystem.removeTree(path)
    try FileSystem.makeDirectory(path)
    return path
  }

  /// Makes the written files the current index.
  ///
  /// - Parameter files: size and table checksum of each data file, in `IndexFormat.dataKinds` order.
  func publish(_ files: [(bytes: Int, tableChecksum: UInt32)]) throws(IndexError) {
    let manifest = IndexFormat.manifest(generation: generation, files: files)
    try FileSystem.syncDirectory(directory)
    try FileSystem.writeDurably(IndexFormat.seal(manifest, kind: .manifest), to: folder + "manifest.tmp")
    try FileSystem.rename(folder + "manifest.tmp", to: folder + "manifest")
    try FileSystem.syncDirectory(directory)
    cleanUp()
  }

  /// Removes scratch folders and the files of the generations this build replaced, then
  /// releases the lock.
  private func cleanUp() {
    for name in (try? FileSystem.contents(of: directory)) ?? names {
      if name.hasPrefix("scratch-") {
        FileSystem.removeTree(folder + name)
      } else if let old = Self.generation(ofFileName: name), old < generation {
        FileSystem.remove(folder + name)
      }
    }
    release()
  }

  /// Abandons a failed build: removes its files and scratch folder, leaves the current index
  /// as it was, and releases the lock.
  func abandon() {
    guard !released else { return }
    FileSystem.remove(folder + "manifest.tmp")
    for name in (try? FileSystem.contents(of: directory)) ?? [] {
      if name.hasPrefix("scratch-") {
        FileSystem.removeTree(folder + name)
      } else if Self.generation(ofFileName: name) == generation {
        FileSystem.remove(folder + name)
      }
    }
    release()
  }

  private func release() {
    guard !released else { return }
    released = true
    close(lock)
  }
}
