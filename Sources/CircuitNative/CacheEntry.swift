/// One entry of the compile cache: `KEY.so` (or the runtime's object, `KEY.o`), its source
/// `KEY.c` and its checksum `KEY.so.sum`.
///
/// The checksum file is written (atomically) after the library and holds the library's size
/// and a content hash of the key and the library's bytes, so a truncated library, a library
/// copied from another entry (with or without its checksum) or a missing checksum all fail
/// `isValid` and are rebuilt. Files are only ever replaced by a rename, never rewritten in
/// place: a process that has mapped the old library keeps its old, complete file.
struct CacheEntry {

  /// The cache key (a content hash of source, compiler, flags and compiler version).
  let key: String

  /// The library's (or object's) path.
  let libraryPath: String

  /// The kept source's path.
  let sourcePath: String

  /// The checksum file's path.
  let checksumPath: String

  /// The entry `key` in `directory`, its compiled file ending in `suffix`.
  init(directory: String, key: String, suffix: String = ".so") {
    self.key = key
    libraryPath = directory + "/" + key + suffix
    sourcePath = directory + "/" + key + ".c"
    checksumPath = libraryPath + ".sum"
  }

  /// The checksum text of a library with contents `bytes`, for this entry.
  func checksum(of bytes: [UInt8]) -> String {
    "circuit-cache 1\nsize \(bytes.count)\nhash \(ContentHash.hex(bytes: [Array(key.utf8), bytes]))\n"
  }

  /// Whether the library exists and matches the checksum file.
  func isValid() -> Bool {
    guard NativeFiles.exists(checksumPath), NativeFiles.exists(libraryPath),
      let bytes = NativeFiles.readBytes(libraryPath)
    else { return false }
    return NativeFiles.read(checksumPath) == checksum(of: bytes)
  }

  /// Moves the freshly compiled library at `temporary` into place, then writes its checksum;
  /// both through renames.
  /// - Throws: `NativeError.io` when the library cannot be read back or moved.
  func install(_ temporary: String) throws(NativeError) {
    guard let bytes = NativeFiles.readBytes(temporary) else {
      NativeFiles.remove(temporary)
      throw .io("cannot read the compiled library \(temporary)")
    }
    guard NativeFiles.move(temporary, to: libraryPath) else {
      NativeFiles.remove(temporary)
      throw .io("cannot move the compiled library to \(libraryPath)")
    }
    try NativeFiles.writeAtomically(checksum(of: bytes), to: checksumPath)
  }
}
