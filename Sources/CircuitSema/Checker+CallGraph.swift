import CircuitDiagnostics
import CircuitSyntax

/// One call of a circuit by another, as written.
struct CallEdge {

  /// The called circuit's name.
  let callee: String

  /// The call expression.
  let range: SourceRange
}

extension Checker {

  /// The circuits each circuit calls, in the order written, by the caller's position in
  /// `program.circuits` (calls of built-ins and unknown names are left out).
  func callGraph() -> [[CallEdge]] {
    program.circuits.map { c in
      var edges: [CallEdge] = []
      Checker.visitCalls(in: c.decl.body) { call, range in
        if !isBuiltin(call.callee.name), program.circuit(named: call.callee.name) != nil {
          edges.append(CallEdge(callee: call.callee.name, range: range))
        }
      }
      return edges
    }
  }

  /// Calls `visit` with every call written in `statements` (built-ins included) and its
  /// range, in evaluation order: a call's arguments before the call.
  static func visitCalls(in statements: [Stmt], _ visit: (Call, SourceRange) -> Void) {
    for s in statements {
      switch s.kind {
      case .assign(_, let e), .store(_, _, let e), .ret(let e): visitCalls(in: e, visit)
      case .loop(let l): visitCalls(in: l.body, visit)
      case .group(_, let body): visitCalls(in: body, visit)
      case .param, .size, .bundle: break
      }
    }
  }

  /// Calls `visit` with every call in `e` (the tree's depth is bounded by the parser).
  private static func visitCalls(in e: Expr, _ visit: (Call, SourceRange) -> Void) {
    switch e.kind {
    case .number, .name, .load, .sizeOf: break
    case .tuple(let parts): for p in parts { visitCalls(in: p, visit) }
    case .negate(let x), .not(let x), .index(let x, _), .reorder(let x, _): visitCalls(in: x, visit)
    case .binary(_, let a, let b):
      visitCalls(in: a, visit)
      visitCalls(in: b, visit)
    case .call(let call):
      for a in call.arguments { visitCalls(in: a.value, visit) }
      visit(call, e.range)
    }
  }

  /// The circuits in an order where every callee comes before its callers (a depth-first
  /// post-order, without recursion), reporting each cycle of calls as `recursive-circuit`
  /// at the call that closes it.
  func calleesFirstOrder() -> [Program.CircuitEntry] {
    let graph = callGraph()
    enum Mark { case unvisited, onPath, done }
    var marks = Array(repeating: Mark.unvisited, count: graph.count)
    var order: [Program.CircuitEntry] = []
    // The path of the search: a circuit and the index of its next edge to follow.
    var path: [(circuit: Int, next: Int)] = []
    for root in graph.indices where marks[root] == .unvisited {
      marks[root] = .onPath
      path.append((root, 0))
      while let (caller, next) = path.last {
        guard next < graph[caller].count else {
          marks[caller] = .done
          order.append(program.circuits[caller])
          path.removeLast()
          continue
        }
        path[path.count - 1].next += 1
        let edge = graph[caller][next]
        guard let callee = program.circuitIndex[edge.callee] else { continue }
        switch marks[callee] {
        case .unvisited:
          marks[callee] = .onPath
          path.append((callee, 0))
        case .onPath:
          let start = path.firstIndex { $0.circuit == callee }!
          reportCycle(Array(path[start...]), closedBy: edge, in: graph)
        case .done: break
        }
      }
    }
    return order
  }

  /// Reports the cycle of calls along `path` (circuits with the index past the edge taken
  /// from each) that `closing` completes, unless the same circuits were already reported.
  private func reportCycle(
    _ path: [(circuit: Int, next: Int)], closedBy closing: CallEdge, in graph: [[CallEdge]]
  ) {
    let names = path.map { program.circuits[$0.circuit].name }
    guard reportedCycles.insert(names.sorted()).inserted else { return }
    let notes = path.dropLast().map { step in
      let edge = graph[step.circuit][step.next - 1]
      return Note("'\(program.circuits[step.circuit].name)' calls '\(edge.callee)' here", at: edge.range)
    }
    report(
      Diagnostic(.recursiveCircuit, "circuit '\(closing.callee)' calls itself (\((names + [closing.callee]).joined(separator: " -> "))); recursion is not supported",
        at: closing.range, notes: notes))
  }
}
