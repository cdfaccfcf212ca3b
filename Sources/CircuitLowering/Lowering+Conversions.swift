import CircuitIR
import CircuitSyntax

extension IR.Op {

  /// The op of a binary operator: arithmetic, a comparison or `and`/`or`.
  init(_ op: BinaryOperator) {
    switch op {
    case .add: self = .binary(.add)
    case .subtract: self = .binary(.subtract)
    case .multiply: self = .binary(.multiply)
    case .divide: self = .binary(.divide)
    case .power: self = .binary(.power)
    case .equal: self = .compare(.equal)
    case .notEqual: self = .compare(.notEqual)
    case .less: self = .compare(.less)
    case .lessEqual: self = .compare(.lessEqual)
    case .greater: self = .compare(.greater)
    case .greaterEqual: self = .compare(.greaterEqual)
    case .and: self = .logic(.and)
    case .or: self = .logic(.or)
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
