/// Commits sealed index files to a folder so that readers always see a whole index.
///
/// The protocol: write each data file under a new generation number and fsync it; fsync the
/// folder; write the manifest to `manifest.tmp`, fsync it and rename it over `manifest`
/// (atomic); fsync the folder again; then delete the files of older generations. A run
/// interrupted before the rename leaves the previous manifest, and so the previous index,
/// in force; its orphan files are removed by the next commit.
enum IndexCommit {
  /// Whether `name` is a file a zhsearch index folder may hold.
  static func isIndexFileName(_ name: String) -> Bool {
    if name == "manifest" || name == "manifest.tmp" || name == "lock" { return true }
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

  /// Writes `files` as a new generation in `directory` and makes it current.
  ///
  /// - Returns: the new generation number.
  static func commit(_ files: [IndexFormat.FileKind: [UInt8]], to directory: String)
    throws(IndexError) -> UInt64
  {
    var names: [String] = []
    if FileSystem.exists(directory) {
      guard FileSystem.isDirectory(directory) else { throw .notAnIndex(path: directory) }
      names = try FileSystem.contents(of: directory)
      if !names.allSatisfy(isIndexFileName) { throw .notAnIndex(path: directory) }
    } else {
      try FileSystem.makeDirectory(directory)
    }
    let newGeneration = (names.compactMap(generation(ofFileName:)).max() ?? 0) + 1
    let folder = directory.hasSuffix("/") ? directory : directory + "/"
    var manifest = ByteBuffer()
    manifest.append(newGeneration)
    manifest.append(IndexFormat.analyzerVersion)
    manifest.append(UInt32(IndexFormat.dataKinds.count))
    for kind in IndexFormat.dataKinds {
      let bytes = files[kind]!
      let name = kind.fileName(generation: newGeneration)
      try FileSystem.writeDurably(bytes, to: folder + name)
      manifest.append(UInt16(name.utf8.count))
      manifest.append(contentsOf: name.utf8)
      manifest.append(UInt64(bytes.count))
      // The table checksum sits 8 bytes before the end, inside the footer.
      let tail = bytes.count - 8
      manifest.append(
        UInt32(bytes[tail]) | UInt32(bytes[tail + 1]) << 8 | UInt32(bytes[tail + 2]) << 16
          | UInt32(bytes[tail + 3]) << 24)
    }
    try FileSystem.syncDirectory(directory)
    try FileSystem.writeDurably(
      IndexFormat.seal(manifest.bytes, kind: .manifest), to: folder + "manifest.tmp")
    try FileSystem.rename(folder + "manifest.tmp", to: folder + "manifest")
    try FileSystem.syncDirectory(directory)
    for name in names where generation(ofFileName: name).map({ $0 != newGeneration }) ?? false {
      FileSystem.remove(folder + name)
    }
    return newGeneration
  }
}
