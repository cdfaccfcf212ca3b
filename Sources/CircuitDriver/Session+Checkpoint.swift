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
    guard let path = params else {
      return try generate { () throws(TensorError) in try ParameterInitializer.initialize(f, seed: seed) }
    }
    let file = try readNamedTensors(path, limit: limit)
    do throws(ParameterProblems) {
      return try ParameterBinding.bind(f, file: file, map: map)
    } catch {
      throw fail("\(path): \(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// Writes `parameters` as a safetensors file at `path`: by the circuit's names and declared
  /// layouts, or, with `map`, by the checkpoint's names and stored layouts (the map
  /// inverted; parameters no rule matches keep their own names).
  func saveParameters(
    _ parameters: [String: Tensor], of f: IR.Function, to path: String, map: CheckpointMap = CheckpointMap()
  ) throws(Failure) {
    var named: [(String, Tensor)] = []
    for p in f.parameters {
      guard let t = parameters[p.name] else { continue }
      let (name, layout) = map.source(of: p.name)
      guard let layout else {
        named.append((name, t))
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
