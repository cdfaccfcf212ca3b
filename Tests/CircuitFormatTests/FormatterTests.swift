import CircuitDiagnostics
import CircuitFormat
import CircuitTestSupport
import Foundation
import Testing

/// The formatter on hand-written layouts: indentation, spacing, comment alignment, refusal.
@Suite struct FormatterTests {

  /// The formatted text of `text`, failing the test if the formatter refuses.
  func format(_ text: String) throws -> String {
    let result = Formatter.format(SourceFile(name: "t.circuit", text: text))
    guard case .success(let formatted) = result else {
      Issue.record("refused: \(result)")
      throw CancellationError()
    }
    return formatted
  }

  @Test func indentsBlocksAndNormalisesSpacing() throws {
    let input = """


      import nn
      circuit F[ n ]( X :[t m] ,Y: [t m])->[t m]{
      for i in 0..<n {
            Z = sum[ m ](X*Y)  |>  softmax[t]
        }
      group   "g" {
      W = X
      }


      return X
        }
      """
    let expected = """
      import nn
      circuit F[n](X: [t m], Y: [t m]) -> [t m] {
          for i in 0..<n {
              Z = sum[m](X*Y) |> softmax[t]
          }
          group "g" {
              W = X
          }

          return X
      }

      """
    #expect(try format(input) == expected)
    #expect(try format(expected) == expected)
  }

  @Test func alignsTrailingCommentsOfOneItem() throws {
    let input = """
      circuit F(X: [t]) -> [t] {
          A = X # a
          Longer = X   # b
          return A # c
      }
      circuit G(X: [t]) -> [t] {
          return X # only
      }
      """
    let expected = """
      circuit F(X: [t]) -> [t] {
          A = X      # a
          Longer = X # b
          return A   # c
      }
      circuit G(X: [t]) -> [t] {
          return X # only
      }

      """
    #expect(try format(input) == expected)
  }

  @Test func keepsHandAlignedColumnsAndIndentsCommentLines() throws {
    let input = """
      circuit F(X: [t]) -> [t] {
      # leading
          A = X                  # a
          return A               # c
        # closing
      }
      """
    let expected = """
      circuit F(X: [t]) -> [t] {
          # leading
          A = X                  # a
          return A               # c
          # closing
      }

      """
    #expect(try format(input) == expected)
  }

  @Test func continuationLinesAlignUnderTheirBracketOrIndentOnce() throws {
    let input = """
      circuit F(X: [t m],
      Y: [t m]) -> [t m] {
          Z = X +
      Y
          return Z
      }
      """
    let expected = """
      circuit F(X: [t m],
                Y: [t m]) -> [t m] {
          Z = X +
              Y
          return Z
      }

      """
    #expect(try format(input) == expected)
    #expect(try format(expected) == expected)
  }

  @Test func normalisesTabsCarriageReturnsAndSemicolons() throws {
    let input = "circuit F(X: [t]) -> [t] {\r\n\tA = X ;B = A\t# tab\r\n\treturn B\r\n}\r\n"
    let expected = "circuit F(X: [t]) -> [t] {\n    A = X; B = A # tab\n    return B\n}\n"
    #expect(try format(input) == expected)
  }

  @Test func refusesFilesWithSyntaxErrors() {
    let file = SourceFile(name: "bad.circuit", text: "circuit F(X: [t]) -> [t] {\n  return X +\n}\n")
    guard case .failure(.syntaxErrors(let diagnostics)) = Formatter.format(file) else {
      Issue.record("a file with a syntax error was formatted")
      return
    }
    #expect(!diagnostics.isEmpty)
    #expect(!Formatter.isFormatted(file))
  }
}
