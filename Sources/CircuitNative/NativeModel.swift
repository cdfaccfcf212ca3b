import CircuitCodeGenC
import TensorRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// A compiled, loaded circuit: calls the uniform entry ABI on tensors.
///
/// The library's thread pool and arena are released when the model is deinitialised.
public final class NativeModel: @unchecked Sendable {

  /// The entry function's C type.
  typealias Entry = @convention(c) (
    UnsafePointer<UnsafeRawPointer?>?, UnsafePointer<UnsafePointer<Float>?>?,
    UnsafePointer<UnsafeMutableRawPointer?>?
  ) -> Int32

  /// The sized entry's C type (`CTemplate.sizedEntrySymbol`): the runtime sizes first.
  typealias SizedEntry = @convention(c) (
    UnsafePointer<Int64>?, UnsafePointer<UnsafeRawPointer?>?, UnsafePointer<UnsafePointer<Float>?>?,
    UnsafePointer<UnsafeMutableRawPointer?>?
  ) -> Int32

  /// The sized prepare function's C type (`CTemplate.sizedPrepareSymbol`).
  typealias SizedPrepare = @convention(c) (UnsafePointer<Int64>?, UnsafePointer<UnsafePointer<Float>?>?) -> Int32

  /// `circuit_train_step`'s C type (`CRuntime.optimizer`): an entry (or the sized entry with
  /// its sizes), inputs, parameters, outputs, then the parameters' count and element counts,
  /// the step's settings and scalars, the buffers, their fresh flags and the norm's address.
  typealias TrainStep = @convention(c) (
    Entry?, SizedEntry?, UnsafePointer<Int64>?, UnsafePointer<UnsafeRawPointer?>?,
    UnsafePointer<UnsafePointer<Float>?>?, UnsafePointer<UnsafeMutableRawPointer?>?, Int64, UnsafePointer<Int64>?,
    UnsafePointer<Int64>?, UnsafePointer<Float>?, UnsafePointer<UnsafeMutablePointer<Float>?>?,
    UnsafePointer<UnsafeMutablePointer<Float>?>?, UnsafePointer<UInt8>?, UnsafeMutablePointer<Double>?
  ) -> Int32

  /// The release function's C type.
  typealias Release = @convention(c) () -> Void

  /// The prepare function's C type.
  typealias Prepare = @convention(c) (UnsafePointer<UnsafePointer<Float>?>?) -> Int32

  /// The profile function's C type (present when compiled with `CProgram.profilingDefine`).
  typealias Profile = @convention(c) (
    UnsafeMutablePointer<UnsafePointer<UnsafePointer<CChar>?>?>?, UnsafeMutablePointer<UnsafePointer<Double>?>?
  ) -> Int32

  /// The element type and shape of each output.
  public let outputs: [(element: ElementType, shape: [Int])]

  /// The compiled artifact (library and kept source paths).
  public let artifact: CCompiler.Artifact

  /// The loaded library (kept open while the model lives).
  private let library: SharedLibrary

  /// The entry function.
  private let entry: Entry

  /// The release function.
  private let release: Release

  /// The function packing constant operands of the parameters once.
  private let prepare: Prepare

  /// The step timers, when the library was compiled to keep them.
  private let profile: Profile?

  /// The runtime's training step (every library links it).
  private let trainStep: TrainStep

  /// A runtime-sized library's sized entry and prepare, with the sizes every call passes.
  private let sized: (entry: SizedEntry, prepare: SizedPrepare, sizes: [Int64])?

  /// Compiles (or finds in the cache) and loads `program`.
  /// - Throws: `NativeError` if compiling or loading fails.
  public convenience init(
    _ program: CProgram, outputs: [(element: ElementType, shape: [Int])], compiler: CCompiler
  ) throws(NativeError) {
    try self.init(source: program.source, program: program, outputs: outputs, compiler: compiler, runtimeSizes: nil)
  }

  /// Compiles (or finds in the cache) and loads `source`, a `CTemplate`'s source for `program`
  /// (the program specialised at these sizes, whose symbols it shares), called with
  /// `runtimeSizes` (in the template's `sizeNames` order); nil sizes: `source` is `program`'s.
  /// - Throws: `NativeError` if compiling or loading fails.
  public init(
    source: String, program: CProgram, outputs: [(element: ElementType, shape: [Int])], compiler: CCompiler,
    runtimeSizes: [Int]?
  ) throws(NativeError) {
    self.outputs = outputs
    let built = try compiler.compile(source)
    // A library compiled outside a read-only cache stays mapped after its files are removed.
    defer { built.discardTemporaryFiles() }
    artifact = built
    library = try SharedLibrary(path: built.libraryPath)
    entry = unsafeBitCast(try library.symbol(program.entrySymbol), to: Entry.self)
    release = unsafeBitCast(try library.symbol(program.releaseSymbol), to: Release.self)
    prepare = unsafeBitCast(try library.symbol(program.prepareSymbol), to: Prepare.self)
    profile = (try? library.symbol(program.profileSymbol)).map { unsafeBitCast($0, to: Profile.self) }
    trainStep = unsafeBitCast(try library.symbol(CRuntime.trainStepSymbol), to: TrainStep.self)
    if let runtimeSizes {
      sized = (
        unsafeBitCast(try library.symbol(CTemplate.sizedEntrySymbol), to: SizedEntry.self),
        unsafeBitCast(try library.symbol(CTemplate.sizedPrepareSymbol), to: SizedPrepare.self),
        runtimeSizes.map(Int64.init)
      )
    } else {
      sized = nil
    }
  }

  /// Packs the constant operands among `parameters` (through the sized prepare when sized).
  private func packConstants(_ parameters: [UnsafePointer<Float>?]) -> Int32 {
    parameters.withUnsafeBufferPointer { p in
      guard let sized else { return prepare(p.baseAddress) }
      return sized.sizes.withUnsafeBufferPointer { sized.prepare($0.baseAddress, p.baseAddress) }
    }
  }

  deinit { release() }

  /// Inputs, parameters and outputs copied into memory the native code reads and writes.
  public final class Binding: @unchecked Sendable {

    /// One allocation per input, parameter and output.
    fileprivate var inputs: [UnsafeMutableRawPointer?] = []
    fileprivate var parameters: [UnsafePointer<Float>?] = []
    fileprivate var outputs: [UnsafeMutableRawPointer?] = []

    /// Everything to free.
    fileprivate var owned: [UnsafeMutableRawPointer] = []

    /// The resident parameters read in place, and their `version` when last packed.
    fileprivate var resident: ResidentParameters? = nil
    fileprivate var packedVersion = 0

    /// Input `k`'s memory, to write the next call's input in place (its element type and
    /// shape are those of the tensor bound).
    public func input(_ k: Int) -> UnsafeMutableRawPointer { inputs[k]! }

    /// Output `k`'s memory after a call (f32 outputs: `count` floats), to read or change in place.
    public func output(_ k: Int, count: Int) -> UnsafeMutableBufferPointer<Float> {
      UnsafeMutableBufferPointer(start: outputs[k]!.assumingMemoryBound(to: Float.self), count: count)
    }

    deinit { for p in owned { free(p) } }

    /// A copy of `t`'s elements.
    fileprivate func copy(_ t: Tensor) throws(NativeError) -> UnsafeMutableRawPointer {
      let p = try allocate(bytes: t.count * NativeModel.width(t.elementType))
      /// Copies one element type's array.
      func copy<T>(_ values: [T]) { values.withUnsafeBytes { p.copyBytes(from: $0.baseAddress!, count: $0.count) } }
      switch t.storage {
      case .float32(let v): copy(v)
      case .int32(let v): copy(v)
      case .bool(let v): copy(v)
      }
      return p
    }

    /// A zeroed, 64-byte aligned allocation of at least one byte.
    /// - Throws: `NativeError.outOfMemory` when the system refuses it.
    fileprivate func allocate(bytes: Int) throws(NativeError) -> UnsafeMutableRawPointer {
      var p: UnsafeMutableRawPointer? = nil
      let size = max(64, (bytes + 63) / 64 * 64)
      guard posix_memalign(&p, 64, size) == 0, let p else { throw .outOfMemory(bytes: size) }
      memset(p, 0, size)
      owned.append(p)
      return p
    }
  }

  /// Bytes per element.
  static func width(_ e: ElementType) -> Int { e == .bool ? 1 : 4 }

  /// Copies `inputs` and `parameters` (in the function's order) for repeated calls, and packs
  /// the constant operands among the parameters once (the copies never change; calls on an
  /// older binding, whose parameters are elsewhere, pack per call).
  /// - Throws: `NativeError.outOfMemory` when a copy cannot be allocated.
  public func bind(inputs: [Tensor], parameters: [Tensor]) throws(NativeError) -> Binding {
    let b = Binding()
    for t in inputs { b.inputs.append(try b.copy(t)) }
    for t in parameters { b.parameters.append(UnsafePointer(try b.copy(t).assumingMemoryBound(to: Float.self))) }
    for o in outputs {
      b.outputs.append(try b.allocate(bytes: o.shape.reduce(1, *) * NativeModel.width(o.element)))
    }
    // A failed prepare (out of memory) leaves every operand packed per call: still correct.
    _ = packConstants(b.parameters)
    return b
  }

  /// Copies `inputs` and allocates the outputs for repeated calls that read `resident`'s
  /// parameters in place; `call` re-packs the constant operands among them first whenever they
  /// changed (`ResidentParameters.markChanged`) since this binding last packed them.
  /// - Throws: `NativeError.outOfMemory` when a copy cannot be allocated.
  public func bind(inputs: [Tensor], resident: ResidentParameters) throws(NativeError) -> Binding {
    let b = Binding()
    for t in inputs { b.inputs.append(try b.copy(t)) }
    b.parameters = resident.pointers
    for o in outputs {
      b.outputs.append(try b.allocate(bytes: o.shape.reduce(1, *) * NativeModel.width(o.element)))
    }
    b.resident = resident
    b.packedVersion = resident.version
    _ = packConstants(b.parameters)
    return b
  }

  /// Re-packs the constant operands of `binding`'s resident parameters if they changed since
  /// it last packed them.
  private func repackIfChanged(_ binding: Binding) {
    if let resident = binding.resident, resident.version != binding.packedVersion {
      // A failed prepare (out of memory) leaves every operand packed per call: still correct.
      _ = packConstants(binding.parameters)
      binding.packedVersion = resident.version
    }
  }

  /// One training step in one native call (`circuit_train_step`): runs the circuit, a gradient
  /// program (output 0 the loss, output 1 + k the gradient of resident parameter k), on
  /// `binding`, then on the library's pool the gradients' global norm, clipping and the
  /// optimiser update `step` of the resident parameters and `state` in place. Returns the
  /// global norm before clipping; the loss is `binding.output(0, count: 1)`, the gradients
  /// stay in the outputs unclipped.
  /// - Precondition: `binding` reads resident parameters (`bind(inputs:resident:)`) and
  ///   `state` has `step.kinds` buffers of their sizes.
  /// - Throws: `NativeError.callFailed` when the native code reports a failure (nothing is
  ///   updated then).
  public func train(_ binding: Binding, _ step: NativeOptimizerStep, state: NativeOptimizerState) throws(NativeError)
    -> Double
  {
    guard let resident = binding.resident else { preconditionFailure("a training step needs resident parameters") }
    precondition(state.buffers.count == step.kinds && state.buffers.allSatisfy { $0.count == resident.buffers.count })
    precondition(
      outputs.count == resident.buffers.count + 1
        && zip(outputs.dropFirst(), resident.buffers).allSatisfy { output, parameter in
          output.element == .float32 && output.shape.reduce(1, *) == parameter.count
        }, "a training step's outputs are the loss and one f32 gradient per parameter")
    repackIfChanged(binding)
    let inputs = binding.inputs.map { UnsafeRawPointer($0) }
    let counts = resident.buffers.map { Int64($0.count) }
    let (settings, scalars, fresh) = (step.settings, step.scalars, state.fresh)
    let none = [UnsafeMutablePointer<Float>?](repeating: nil, count: resident.buffers.count)
    let first = step.kinds > 0 ? state.buffers[0].map(\.baseAddress) : none
    let second = step.kinds > 1 ? state.buffers[1].map(\.baseAddress) : none
    let sizes = sized?.sizes ?? []
    var norm = 0.0
    let status = inputs.withUnsafeBufferPointer { i in
      binding.parameters.withUnsafeBufferPointer { p in
        binding.outputs.withUnsafeBufferPointer { o in
          trainStep(
            sized == nil ? entry : nil, sized?.entry, sizes, i.baseAddress, p.baseAddress, o.baseAddress,
            Int64(counts.count), counts, settings, scalars, first, second, fresh, &norm)
        }
      }
    }
    if status != 0 { throw .callFailed(status: status) }
    resident.markChanged()
    state.markUpdated()
    return norm
  }

  /// Runs the circuit once on `binding`.
  /// - Throws: `NativeError.callFailed` when the native code reports a failure.
  public func call(_ binding: Binding) throws(NativeError) {
    repackIfChanged(binding)
    let inputs = binding.inputs.map { UnsafeRawPointer($0) }
    let status = inputs.withUnsafeBufferPointer { i in
      binding.parameters.withUnsafeBufferPointer { p in
        binding.outputs.withUnsafeBufferPointer { o in
          guard let sized else { return entry(i.baseAddress, p.baseAddress, o.baseAddress) }
          return sized.sizes.withUnsafeBufferPointer { sized.entry($0.baseAddress, i.baseAddress, p.baseAddress, o.baseAddress) }
        }
      }
    }
    if status != 0 { throw .callFailed(status: status) }
  }

  /// The outputs of the last call on `binding`, as tensors.
  public func results(_ binding: Binding) -> [Tensor] {
    zip(outputs, binding.outputs).map { spec, pointer in
      let n = spec.shape.reduce(1, *)
      let storage: Tensor.Storage
      switch spec.element {
      case .float32: storage = .float32(Array(UnsafeBufferPointer(start: pointer!.assumingMemoryBound(to: Float.self), count: n)))
      case .int32: storage = .int32(Array(UnsafeBufferPointer(start: pointer!.assumingMemoryBound(to: Int32.self), count: n)))
      case .bool: storage = .bool(Array(UnsafeBufferPointer(start: pointer!.assumingMemoryBound(to: Bool.self), count: n)))
      }
      // The shape and storage agree by construction.
      return (try? Tensor(shape: spec.shape, storage: storage))!
    }
  }

  /// Each step's label and the seconds spent in it, summed over every call so far; nil unless
  /// the library was compiled with `-D` `CProgram.profilingDefine`.
  public func stepTimes() -> [(step: String, seconds: Double)]? {
    guard let profile else { return nil }
    var steps: UnsafePointer<UnsafePointer<CChar>?>? = nil
    var seconds: UnsafePointer<Double>? = nil
    let n = Int(profile(&steps, &seconds))
    guard let steps, let seconds, n >= 0 else { return nil }
    return (0..<n).map { (steps[$0].map { String(cString: $0) } ?? "?", seconds[$0]) }
  }

  /// Runs the circuit once: binds, calls and returns the outputs.
  public func run(inputs: [Tensor], parameters: [Tensor]) throws(NativeError) -> [Tensor] {
    let b = try bind(inputs: inputs, parameters: parameters)
    try call(b)
    return results(b)
  }
}
