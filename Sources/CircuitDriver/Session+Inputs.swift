import CircuitIR
import CircuitPipeline
import TensorRuntime

extension Session {

  /// An input read from a file.
  struct InputFile {

    /// The array.
    let tensor: Tensor

    /// The file it came from.
    let path: String

    /// `int64` or `float64` when the file held that and it was narrowed (the narrowing is the
    /// reader's only warning); nil otherwise.
    let storedElement: String?

    /// The element type as the file holds it: `int64`, or the tensor's.
    var elementName: String { storedElement ?? "\(tensor.elementType)" }
  }

  /// Reads the `--input` files, by entry input position: `name=path` takes a `.npy` file or
  /// the array `name` (or the only array) of a `.npz` archive; a bare `path` takes every array
  /// of a `.npz` archive as the input of the same name. Each file takes at most `limit` bytes.
  func readInputs(
    _ given: [(name: String?, path: String)], entry: Entry, compilation c: Compilation, limit: Int
  ) throws(Failure) -> [Int: InputFile]
  {
    var out: [Int: InputFile] = [:]
    let names = entry.inputNames
    func position(_ name: String, from path: String) throws(Failure) -> Int {
      guard let i = names.firstIndex(of: name) else {
        throw fail(
          "'\(entry.name)' has no input '\(name)' (from \(path)); its inputs: \(names.joined(separator: ", "))",
          CommandLineTool.ExitCode.usage)
      }
      return i
    }
    for (name, path) in given {
      let (arrays, isArchive) = try readArrays(path, limit: limit)
      var chosen: [NPZEntry] = arrays
      if let name {
        guard let array = arrays.count == 1 ? arrays.first : arrays.first(where: { $0.name == name }) else {
          throw fail(
            "\(path) has no array '\(name)'; its arrays: \(arrays.map(\.name).joined(separator: ", "))",
            CommandLineTool.ExitCode.sourceErrors)
        }
        chosen = [NPZEntry(name: name, tensor: array.tensor, warnings: array.warnings)]
      } else if !isArchive {
        throw fail(
          "\(path) is a .npy file: name the input it is for, as '--input NAME=\(path)'", CommandLineTool.ExitCode.usage)
      }
      for array in chosen {
        let i = try position(array.name, from: path)
        for w in array.warnings { stderr += "warning: \(w)\n" }
        if let problem = array.tensor.nonFiniteProblem(allowingInfinity: true) {
          throw fail("\(path): input '\(array.name)' \(problem)", CommandLineTool.ExitCode.sourceErrors)
        }
        out[i] = InputFile(
          tensor: array.tensor, path: path,
          storedElement: array.warnings.isEmpty ? nil : array.tensor.elementType == .int32 ? "int64" : "float64")
      }
    }
    return out
  }

  /// The arrays of a `.npy` or `.npz` file of at most `limit` bytes (`TensorFiles.readArrays`),
  /// recorded as read.
  func readArrays(_ path: String, limit: Int) throws(Failure) -> (arrays: [NPZEntry], isArchive: Bool) {
    inputFiles.append(path)
    do throws(TensorFileError) {
      return try TensorFiles.readArrays(at: path, limit: limit)
    } catch {
      throw fail("\(error)", error.isIO ? CommandLineTool.ExitCode.ioError : CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// Fails unless every input read has the element type and shape of `f`'s input. A size
  /// that another input fixed is named with that input: `b=4 here, but input 'A' (a.npy) has
  /// b=2`.
  func requireInputsMatch(_ read: [Int: InputFile], _ f: IR.Function) throws(Failure) {
    for (i, input) in f.inputs.enumerated() {
      guard let file = read[i], !input.type.matches(file.tensor) else { continue }
      var message = "input '\(input.name)' has \(file.elementName) shape \(file.tensor.shape) "
        + "but the circuit expects \(input.type) (shape \(input.type.shape))"
      if file.tensor.rank == input.type.axes.count {
        for (axis, n) in zip(input.type.axes, file.tensor.shape) where axis.size != n {
          /// Whether input `j`'s file fixed this axis at the declared size.
          func fixes(_ j: Int, _ other: InputFile) -> Bool {
            guard j != i, let k = f.inputs[j].type.position(of: axis.name) else { return false }
            return other.tensor.rank == f.inputs[j].type.axes.count && other.tensor.shape[k] == axis.size
          }
          guard let (j, other) = read.sorted(by: { $0.key < $1.key }).first(where: fixes) else { continue }
          message += "; \(axis.name)=\(n) here, but input '\(f.inputs[j].name)' (\(other.path)) "
            + "has \(axis.name)=\(axis.size)"
        }
      }
      throw fail(message, CommandLineTool.ExitCode.sourceErrors)
    }
  }
}
