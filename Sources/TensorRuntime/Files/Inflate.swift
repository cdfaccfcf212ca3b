/// A pure DEFLATE decoder (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// Input is a raw DEFLATE stream (no zlib or gzip wrapper), as stored in ZIP method-8
/// members. Every malformed input throws a `TensorFileError` naming `fileName`; the decoder
/// never reads past the end of its input, never writes more than `limit` bytes, and always
/// consumes input on every loop iteration, so it never traps or hangs.
public enum Inflate {

  /// The largest output the decoder ever produces (4 GiB), whatever the caller asks for.
  public static let maximumOutputSize = 1 << 32

  /// Decompresses the raw DEFLATE stream `input`.
  ///
  /// - Parameters:
  ///   - limit: the most bytes the output may hold (clamped to `maximumOutputSize`); a
  ///     stream that would produce more throws.
  ///   - fileName: the name used in error messages.
  /// - Throws: `TensorFileError.truncated` if the stream ends before its final block, and
  ///   `TensorFileError.invalidTensor` ("corrupt DEFLATE data: …") for a bad block type,
  ///   invalid code lengths or codes, a distance too far back, or output over `limit`.
  ///   Bytes after the final block are ignored.
  public static func decompress(
    _ input: [UInt8], limit: Int = maximumOutputSize, fileName: String = "<deflate>"
  ) throws(TensorFileError) -> [UInt8] {
    var inflater = Inflater(
      input: input, limit: max(0, min(limit, maximumOutputSize)), fileName: fileName)
    try inflater.run()
    return inflater.output
  }

}

/// The decoder state for one stream: bit reader, output and limits.
private struct Inflater {

  /// The compressed bytes.
  let input: [UInt8]

  /// The maximum output size.
  let limit: Int

  /// The name used in error messages.
  let fileName: String

  /// The decompressed bytes so far (also the match window).
  var output: [UInt8] = []

  /// Index of the next input byte to load into `bitBuffer`.
  var position = 0

  /// Loaded but unconsumed bits, least significant first.
  var bitBuffer: UInt64 = 0

  /// How many bits of `bitBuffer` are valid.
  var bitCount = 0

  /// Creates a decoder over `input`, reserving a plausible output capacity.
  init(input: [UInt8], limit: Int, fileName: String) {
    self.input = input
    self.limit = limit
    self.fileName = fileName
    // DEFLATE expands at most ~1032:1; never reserve more than the stream could produce.
    let plausible = input.count <= Int.max / 1100 ? input.count * 1032 + 64 : limit
    output.reserveCapacity(min(limit, plausible, 1 << 26))
  }

  /// Returns a corrupt-data error with `detail`.
  func corrupt(_ detail: String) -> TensorFileError {
    .invalidTensor(file: fileName, detail: "corrupt DEFLATE data: \(detail)")
  }

  /// Returns the error for a stream that ends early.
  func truncated() -> TensorFileError {
    .truncated(file: fileName, detail: "DEFLATE stream ends before its final block")
  }

  // MARK: Bits

  /// Loads whole input bytes into `bitBuffer` while there is room.
  mutating func refill() {
    while bitCount <= 56, position < input.count {
      bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
      position += 1
      bitCount += 8
    }
  }

  /// Returns the next `n` (≤ 32) bits without consuming them; missing bits past the end read as 0.
  mutating func peek(_ n: Int) -> Int {
    if bitCount < n { refill() }
    return Int(truncatingIfNeeded: bitBuffer & ((1 << UInt64(n)) - 1))
  }

  /// Consumes `n` bits, or throws if the input has fewer left.
  mutating func consume(_ n: Int) throws(TensorFileError) {
    if bitCount < n { refill() }
    guard bitCount >= n else { throw truncated() }
    bitBuffer >>= UInt64(n)
    bitCount -= n
  }

  /// Reads and consumes an `n`-bit (≤ 32) little-endian field.
  mutating func bits(_ n: Int) throws(TensorFileError) -> Int {
    let value = peek(n)
    try consume(n)
    return value
  }

  // MARK: Blocks

  /// Decodes blocks until the final one.
  mutating func run() throws(TensorFileError) {
    var final = false
    while !final {
      final = try bits(1) == 1
      switch try bits(2) {
      case 0: try storedBlock()
      case 1: try codedBlock(literals: HuffmanCode.fixedLiterals, distances: HuffmanCode.fixedDistances)
      case 2:
        let (literals, distances) = try dynamicCodes()
        try codedBlock(literals: literals, distances: distances)
      default: throw corrupt("invalid block type 3")
      }
    }
  }

  /// Copies a stored block: byte-aligned LEN, NLEN (its complement), then LEN raw bytes.
  mutating func storedBlock() throws(TensorFileError) {
    try consume(bitCount % 8)
    let length = try bits(16)
    let complement = try bits(16)
    guard length == complement ^ 0xFFFF else {
      throw corrupt("stored block length \(length) does not match its complement \(complement)")
    }
    try reserve(length)
    var remaining = length
    while remaining > 0, bitCount >= 8 {
      output.append(UInt8(truncatingIfNeeded: bitBuffer))
      try consume(8)
      remaining -= 1
    }
    guard remaining <= input.count - position else { throw truncated() }
    output.append(contentsOf: input[position..<(position + remaining)])
    position += remaining
  }

  /// Throws unless `count` more output bytes stay within `limit`.
  func reserve(_ count: Int) throws(TensorFileError) {
    guard count <= limit - output.count else {
      throw corrupt("output exceeds the expected \(limit) bytes")
    }
  }

  /// Reads a dynamic block header and builds its literal/length and distance codes.
  mutating func dynamicCodes() throws(TensorFileError) -> (HuffmanCode, HuffmanCode) {
    let literalCount = try bits(5) + 257
    let distanceCount = try bits(5) + 1
    let lengthCodeCount = try bits(4) + 4
    guard literalCount <= 286, distanceCount <= 30 else {
      throw corrupt("\(literalCount) literal/length and \(distanceCount) distance codes is too many")
    }
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    var codeLengthLengths = [Int](repeating: 0, count: 19)
    for i in 0..<lengthCodeCount { codeLengthLengths[order[i]] = try bits(3) }
    guard let lengthCode = HuffmanCode(lengths: codeLengthLengths, allowIncomplete: false) else {
      throw corrupt("invalid code-length code lengths")
    }
    var lengths: [Int] = []
    lengths.reserveCapacity(literalCount + distanceCount)
    while lengths.count < literalCount + distanceCount {
      let symbol = try decode(lengthCode)
      var repeated = 0
      var count = 1
      switch symbol {
      case 0...15: repeated = symbol
      case 16:
        guard let previous = lengths.last else { throw corrupt("length repeat with no previous length") }
        repeated = previous
        count = 3 + (try bits(2))
      case 17: count = 3 + (try bits(3))
      default: count = 11 + (try bits(7))
      }
      guard count <= literalCount + distanceCount - lengths.count else {
        throw corrupt("code-length repeat runs past \(literalCount + distanceCount) lengths")
      }
      lengths.append(contentsOf: repeatElement(repeated, count: count))
    }
    guard lengths[256] != 0 else { throw corrupt("no end-of-block code") }
    guard
      let literals = HuffmanCode(lengths: Array(lengths[0..<literalCount]), allowIncomplete: true),
      let distances = HuffmanCode(lengths: Array(lengths[literalCount...]), allowIncomplete: true)
    else { throw corrupt("invalid literal/length or distance code lengths") }
    return (literals, distances)
  }

  /// Decodes literals and length/distance pairs until the end-of-block symbol.
  mutating func codedBlock(literals: HuffmanCode, distances: HuffmanCode) throws(TensorFileError) {
    while true {
      let symbol = try decode(literals)
      if symbol < 256 {
        try reserve(1)
        output.append(UInt8(symbol))
        continue
      }
      if symbol == 256 { return }
      let lengthIndex = symbol - 257
      guard lengthIndex < 29 else { throw corrupt("invalid length symbol \(symbol)") }
      let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtra[lengthIndex]))
      let distanceSymbol = try decode(distances)
      guard distanceSymbol < 30 else { throw corrupt("invalid distance symbol \(distanceSymbol)") }
      let distance =
        Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
      guard distance <= output.count else {
        throw corrupt("distance \(distance) is too far back (only \(output.count) bytes decoded)")
      }
      try reserve(length)
      // Copy in runs of at most `distance` bytes, so overlapping matches repeat correctly.
      var from = output.count - distance
      var remaining = length
      while remaining > 0 {
        let run = Array(output[from..<(from + min(remaining, output.count - from))])
        output.append(contentsOf: run)
        from += run.count
        remaining -= run.count
      }
    }
  }

  /// Decodes one symbol of `code`: a table lookup for short codes, canonical search otherwise.
  mutating func decode(_ code: HuffmanCode) throws(TensorFileError) -> Int {
    let window = peek(HuffmanCode.maximumLength)
    let entry = code.fast[window & (HuffmanCode.fastSize - 1)]
    if entry != 0 {
      try consume(Int(entry >> 9))
      return Int(entry & 0x1FF)
    }
    // Canonical decoding (codes are packed most significant bit first).
    var value = 0
    var first = 0
    var index = 0
    for length in 1...HuffmanCode.maximumLength {
      value |= (window >> (length - 1)) & 1
      let count = code.counts[length]
      if value - first < count {
        try consume(length)
        return Int(code.symbols[index + value - first])
      }
      index += count
      first = (first + count) << 1
      value <<= 1
    }
    // Only reachable for an incomplete code, or zero bits past the end of the input.
    try consume(HuffmanCode.maximumLength)
    throw corrupt("invalid Huffman code")
  }

  /// Base lengths for length symbols 257…285.
  static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258,
  ]

  /// Extra bits for length symbols 257…285.
  static let lengthExtra = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]

  /// Base distances for distance symbols 0…29.
  static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]

  /// Extra bits for distance symbols 0…29.
  static let distanceExtra = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
  ]

}

/// A canonical Huffman code, as DEFLATE defines it from a list of code lengths.
private struct HuffmanCode {

  /// The longest code DEFLATE allows.
  static let maximumLength = 15

  /// Codes up to this many bits decode with one table lookup.
  static let fastBits = 9

  /// The number of entries in `fast`.
  static let fastSize = 1 << fastBits

  /// `counts[n]` is the number of codes of length `n` (index 0 unused).
  let counts: [Int]

  /// The symbols in canonical order (by length, then by symbol).
  let symbols: [UInt16]

  /// Lookup by the next `fastBits` input bits: `symbol | length << 9`, or 0 for longer codes.
  let fast: [UInt16]

  /// Builds the code for `lengths` (one per symbol, 0 = unused), or returns `nil` if the
  /// lengths are out of range or over-subscribed, or if the code is incomplete — which is
  /// tolerated only with `allowIncomplete` and at most one code of length 1 (RFC 1951 §3.2.7).
  init?(lengths: [Int], allowIncomplete: Bool) {
    var counts = [Int](repeating: 0, count: Self.maximumLength + 1)
    for length in lengths {
      guard length >= 0, length <= Self.maximumLength else { return nil }
      counts[length] += 1
    }
    counts[0] = 0
    var left = 1
    for length in 1...Self.maximumLength {
      left = left * 2 - counts[length]
      guard left >= 0 else { return nil }
    }
    let used = lengths.count - lengths.filter { $0 == 0 }.count
    if left > 0 {
      guard allowIncomplete, used == 0 || (used == 1 && counts[1] == 1) else { return nil }
    }
    var offsets = [Int](repeating: 0, count: Self.maximumLength + 2)
    for length in 1...Self.maximumLength { offsets[length + 1] = offsets[length] + counts[length] }
    var symbols = [UInt16](repeating: 0, count: used)
    var fast = [UInt16](repeating: 0, count: Self.fastSize)
    var nextCode = [Int](repeating: 0, count: Self.maximumLength + 1)
    var code = 0
    for length in 1...Self.maximumLength {
      code = (code + counts[length - 1]) << 1
      nextCode[length] = code
    }
    for (symbol, length) in lengths.enumerated() where length > 0 {
      symbols[offsets[length]] = UInt16(symbol)
      offsets[length] += 1
      let canonical = nextCode[length]
      nextCode[length] += 1
      guard length <= Self.fastBits else { continue }
      var reversed = 0
      for bit in 0..<length { reversed |= ((canonical >> bit) & 1) << (length - 1 - bit) }
      var slot = reversed
      while slot < Self.fastSize {
        fast[slot] = UInt16(symbol) | UInt16(length) << 9
        slot += 1 << length
      }
    }
    self.counts = counts
    self.symbols = symbols
    self.fast = fast
  }

  /// The fixed literal/length code (RFC 1951 §3.2.6), including the unused symbols 286–287.
  static let fixedLiterals: HuffmanCode = {
    let lengths = (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 }
    return HuffmanCode(lengths: lengths, allowIncomplete: false) ?? HuffmanCode()
  }()

  /// The fixed distance code: 30 usable five-bit codes plus the unused symbols 30–31.
  static let fixedDistances: HuffmanCode = {
    HuffmanCode(lengths: [Int](repeating: 5, count: 32), allowIncomplete: false) ?? HuffmanCode()
  }()

  /// An empty code that decodes nothing (only a fallback; the fixed codes are always valid).
  private init() {
    counts = [Int](repeating: 0, count: Self.maximumLength + 1)
    symbols = []
    fast = [UInt16](repeating: 0, count: Self.fastSize)
  }

}
