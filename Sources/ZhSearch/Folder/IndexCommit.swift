#if canImport(Glibc)
  import Glibc
#endif

/// Writes a new generation of an index folder so that readers always see a whole index, and
/// so that nothing in the folder that zhsearch did not write is ever touched.
///
/// The protocol: refuse a folder with anything zhsearch did not write (`IndexFolder`); take
/// an exclusive lock on `DIR/lock` (a second build waits for the first); remove what
/// interrupted builds left; make this build's scratch folder `scratch-<gen>`, where every
/// file of the build is created (never over an existing name), the data files fsynced;
/// move the data files into the folder and fsync it; write the manifest in the scratch
/// folder, fsync it and rename it over `manifest` (atomic: the commit point); fsync the
/// folder again; then delete the files of older generations and the scratch folder. A run
/// that fails or is interrupted before the rename leaves the previous manifest, and so the
/// previous index, in force; after it, the new one, and its files are never removed.
final class IndexCommit {
  let directory: String
  let folder: String
  /// The generation being written.
  let generation: UInt64
  /// The build's scratch folder, where its files are written.
  let scratch: String
  private let lock: Int32
  /// Whether the new manifest is in place (past the commit point).
  private var committed = false
  private var released = false

  /// Locks `directory` (creating it if needed), removes leftovers of earlier builds, chooses
  /// the next generation number and makes its scratch folder.
  ///
  /// When another build holds the lock, `waiting` is called once and the lock is awaited.
  ///
  /// - Throws: `IndexError.notAnIndex` when the path is not a folder, `.foreignEntry` when the
  ///   folder holds anything zhsearch did not write.
  init(directory: String, waiting: () -> Void = {}) throws(IndexError) {
    self.directory = directory
    folder = directory.hasSuffix("/") ? directory : directory + "/"
    if FileSystem.entryType(directory) != nil {
      guard FileSystem.isDirectory(directory) else { throw .notAnIndex(path: directory) }
      // Checked before the lock file is made: a folder of the user's gets nothing new.
      _ = try IndexFolder(directory)
    } else {
      try FileSystem.makeDirectory(directory)
    }
    lock = try Self.openLock(folder + "lock")
    if flock(lock, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK { waiting() }
    while flock(lock, LOCK_EX) != 0 {
      if errno != EINTR {
        let reason = FileSystem.errorMessage()
        close(lock)
        throw .io(path: folder + "lock", reason: reason)
      }
    }
    do {
      // Listed again under the lock: no other build is writing now.
      let contents = try IndexFolder(directory)
      try contents.removeLeftovers()
      generation = try contents.nextGeneration()
      scratch = folder + "scratch-\(generation)"
      try IndexFolder.makeScratch(scratch)
    } catch {
      close(lock)
      throw error
    }
  }

  deinit { release() }

  /// Opens (or creates) the lock file: a regular file, never through a symlink, without
  /// blocking on a FIFO.
  private static func openLock(_ path: String) throws(IndexError) -> Int32 {
    try FaultInjector.check(.create, path)
    let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .io(path: path, reason: FileSystem.errorMessage()) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let reason = FileSystem.errorMessage()
      close(descriptor)
      throw .io(path: path, reason: reason)
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw .io(path: path, reason: "not a regular file")
    }
    return descriptor
  }

  /// The path, in the scratch folder, where this generation's file of `kind` is written.
  func path(of kind: IndexFormat.FileKind) -> String { scratch + "/" + kind.fileName(generation: generation) }

  /// Makes the written files the current index.
  ///
  /// - Parameters:
  ///   - files: size and table checksum of each data file, in `IndexFormat.dataKinds` order.
  ///   - foldsVariants: whether the text was analyzed with variants folded (the manifest's flag).
  /// - Throws: `.io` when the index is unchanged, `.afterCommit` when the new index is in
  ///   place but the folder could not be flushed or tidied.
  func publish(_ files: [(bytes: Int, tableChecksum: UInt32)], foldsVariants: Bool = true) throws(IndexError) {
    for kind in IndexFormat.dataKinds {
      try FileSystem.rename(path(of: kind), to: folder + kind.fileName(generation: generation))
    }
    try FileSystem.syncDirectory(directory)
    let manifest = IndexFormat.manifest(generation: generation, files: files, foldsVariants: foldsVariants)
    try FileSystem.writeDurably(IndexFormat.seal(manifest, kind: .manifest), to: scratch + "/manifest")
    try FileSystem.rename(scratch + "/manifest", to: folder + "manifest")
    committed = true
    do {
      try FileSystem.syncDirectory(directory)
      try IndexFolder(directory).removeGenerations(before: generation)
    } catch {
      if case .io(let path, let reason) = error { throw .afterCommit(path: path, reason: reason) }
      throw .afterCommit(path: directory, reason: error.description)
    }
    release()
  }

  /// Abandons a failed build: removes its files, leaves the current index as it was, and
  /// releases the lock. Before the commit point the new generation's files go too; after
  /// it, only the scratch folder. What cannot be removed now, the next build removes.
  func abandon() {
    guard !released else { return }
    if !committed {
      for kind in IndexFormat.dataKinds {
        let name = kind.fileName(generation: generation)
        if (try? IndexFolder.recognize(name, in: folder)) == .data(generation: generation, kind: kind) {
          try? FileSystem.remove(folder + name)
        }
      }
    }
    try? IndexFolder.removeScratch(scratch)
    release()
  }

  private func release() {
    guard !released else { return }
    released = true
    close(lock)
  }
}
