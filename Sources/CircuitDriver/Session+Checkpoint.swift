import CircuitIR
import CircuitInterpreter
import CircuitPipeline
import TensorRuntime

extension Session {

  /// The `--param-map` file at `path` (an empty map when nil), read and parsed; warns about
  /// each rule that matches none of `f`'s parameters.
  func readParamMap(_ path: String?, for f: IR.Function) throws(Failure) -> CheckpointMap {
    guard let path else { return CheckpointMap() }
    inputFiles.append(path)
    let text: String
    do throws(Platform.IOError) {
      text = String(decoding: try Platform.readFile(path), as: UTF8.self)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.ioError)
    }
    let map: CheckpointMap
    do throws(CheckpointMapError) {
      map = try CheckpointMap(parsing: text, fileName: path)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
    for w in map.unusedRuleWarnings(for: f.parameters.map(\.name)) { stderr += "warning: \(w)\n" }
    return map
  }

  /// The parameters: from the checkpoint `params` through `map` (every one present with its
  /// shape) or initialised with `seed`. The file may take at most `limit` bytes.
  func loadParameters(
    _ f: IR.Function, params: String?, map: CheckpointMap, seed: UInt64, limit: Int
  ) throws(Failure) -> [String: Tensor] {
    try loadCheckpoint(f, params: params, map: map, seed: seed, limit: limit).parameters
  }

  /// `loadParameters`, with the shape each of the checkpoint's tensors has in the file (by
  /// its name there; empty without a checkpoint), so that saving can restore them.
  func loadCheckpoint(
    _ f: IR.Function, params: String?, map: CheckpointMap, seed: UInt64, limit: Int
  ) throws(Failure) -> (parameters: [String: Tensor], storedShapes: [String: [Int]]) {
    guard let path = params else {
      return (try generate { () throws(TensorError) in try ParameterInitializer.initialize(f, seed: seed) }, [:])
    }
    let file = try readNamedTensors(path, limit: limit)
    do throws(ParameterProblems) {
      let shapes = Dictionary(file.tensors.map { ($0.name, $0.tensor.shape) }, uniquingKeysWith: { a, _ in a })
      return (try ParameterBinding.bind(f, file: file, map: map), shapes)
    } catch {
      throw fail("\(path): \(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// Writes `parameters` as a safetensors file at `path`: by the circuit's names and declared
  /// layouts, or, with `map`, by the checkpoint's names and stored layouts (the map
  /// inverted; parameters no rule matches keep their own names). A tensor that was read
  /// with extra dimensions of size 1 (`storedShapes`, by checkpoint name: `[c 1 kh kw]` for a
  /// declared `[c kh kw]`) gets them back.
  func saveParameters(
    _ parameters: [String: Tensor], of f: IR.Function, to path: String, map: CheckpointMap = CheckpointMap(),
    storedShapes: [String: [Int]] = [:]
  ) throws(Failure) {
    var named: [(String, Tensor)] = []
    for p in f.parameters {
      guard let t = parameters[p.name] else { continue }
      let (name, layout) = map.source(of: p.name)
      guard let layout else {
        if let stored = storedShapes[name], stored != t.shape, let restored = try? t.reshaped(to: stored) {
          named.append((name, restored))
        } else {
          named.append((name, t))
        }
        continue
      }
      do throws(CheckpointMapError) {
        named.append((name, try CheckpointMap.store(t, layout: layout, as: p.type)))
      } catch {
        throw fail("parameter '\(p.name)': \(error)", CommandLineTool.ExitCode.sourceErrors)
      }
    }
    let bytes: [UInt8]
    do throws(TensorFileError) {
      bytes = try SafeTensors.write(named, fileName: path)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
    try writeOutput(bytes, to: path)
  }
}
