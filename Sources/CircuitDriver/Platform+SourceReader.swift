import CircuitPipeline

extension Platform {

  /// The file system as the pipeline reads it: source files and their imports, shown
  /// relative to the working directory.
  public static var sourceReader: SourceReader {
    SourceReader(currentDirectory: currentDirectory, isFile: { isFile($0) }) { path throws(SourceReader.Failure) in
      do throws(IOError) {
        return try readFile(path)
      } catch {
        throw SourceReader.Failure(description: error.description)
      }
    }
  }
}
