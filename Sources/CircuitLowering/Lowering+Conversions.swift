import CircuitIR
import CircuitSyntax

extension IR.BinaryFunction {

  /// The function of an arithmetic operator.
  init(_ op: BinaryOperator) {
    switch op {
    case .add: self = .add
    case .subtract: self = .subtract
    case .multiply: self = .multiply
    case .divide: self = .divide
    case .power: self = .power
    }
  }
}

extension IR.Initializer {

  /// The IR's form of a written initialiser.
  init(_ initializer: Initializer) {
    switch initializer {
    case .constant(let v): self = .constant(v)
    case .uniform(let bound): self = .uniform(bound)
    case .normal(let deviation): self = .normal(deviation)
    }
  }
}
