/// Reads genotypes written in DARTS' Python form: a single `Genotype(normal=[...], normal_concat=[...],
/// reduce=[...], reduce_concat=[...])` expression (keyword or positional fields, concat lists or
/// `range(a, b)`), or a whole `genotypes.py` of `NAME = Genotype(...)` assignments, where a two-head genotype's
/// heads are the lists `NAME_INSTANCE_HEAD` and `NAME_CLASS_HEAD` with their `..._CONCAT` lists (the file
/// `tailnas export --genotype` writes). Everything else in a file (imports, namedtuple definitions,
/// `PRIMITIVES`) is skipped.
public enum GenotypeParser {
  /// Parses one genotype expression; `source` names the text in errors.
  public static func parse(_ text: String, source: String = "genotype") throws -> Genotype {
    var parser = Parser(tokens: try Lexer.tokens(of: text, source: source), source: source)
    let genotype = try parser.genotypeCall()
    try parser.expectEnd()
    return genotype
  }

  /// Every genotype a `genotypes.py` defines, by name, in file order.
  public static func parseFile(_ text: String, source: String) throws -> [(name: String, genotype: Genotype)] {
    let statements = try Lexer.statements(of: text, source: source)
    var genotypes: [(String, Genotype)] = []
    var lists: [String: (cell: [GenotypeEdge]?, concat: [Int]?)] = [:]
    for statement in statements {
      guard statement.count >= 3, case .identifier(let name) = statement[0].kind, statement[1].kind == .punctuation("=")
      else { continue }
      var parser = Parser(tokens: Array(statement[2...]) + [Token(kind: .end, line: 0, column: 0)], source: source)
      if case .identifier = statement[2].kind, statement.count > 3, statement[3].kind == .punctuation("(") {
        guard parser.startsGenotypeCall else { continue }
        genotypes.append((name, try parser.genotypeCall()))
        try parser.expectEnd()
      } else if statement.count == 3, case .identifier(let other) = statement[2].kind,
        let aliased = genotypes.last(where: { $0.0 == other })
      {
        // `DARTS = DARTS_V2`
        genotypes.append((name, aliased.1))
        for suffix in ["_INSTANCE_HEAD", "_INSTANCE_HEAD_CONCAT", "_CLASS_HEAD", "_CLASS_HEAD_CONCAT"] {
          if let list = lists[other + suffix] { lists[name + suffix] = list }
        }
      } else if name.hasSuffix("_HEAD") || name.hasSuffix("_HEAD_CONCAT") {
        let value = try parser.value()
        try parser.expectEnd()
        switch value {
        case .edges(let edges): lists[name, default: (nil, nil)].cell = edges
        case .integers(let numbers): lists[name, default: (nil, nil)].concat = numbers
        }
      }
    }
    return try genotypes.map { name, genotype in
      var result = genotype
      for (component, suffix) in [(ArchitectureComponent.instance, "INSTANCE_HEAD"), (.class, "CLASS_HEAD")] {
        guard let edges = lists["\(name)_\(suffix)"]?.cell else { continue }
        let concat = lists["\(name)_\(suffix)_CONCAT"]?.concat ?? result.normal.concat
        let cell = CellGenotype(edges: edges, concat: concat)
        if component == .instance { result.instance = cell } else { result.class = cell }
      }
      guard (result.instance == nil) == (result.class == nil) else {
        throw GenotypeError.invalid("\(source): \(name) has only one of \(name)_INSTANCE_HEAD and \(name)_CLASS_HEAD")
      }
      try result.validate()
      return (name, result)
    }
  }

  /// The genotype called `name` in the `genotypes.py` text.
  public static func genotype(named name: String, inFile text: String, source: String) throws -> Genotype {
    let all = try parseFile(text, source: source)
    guard let found = all.first(where: { $0.name == name }) else {
      throw GenotypeError.notFound(name: name, source: source, available: all.map(\.name))
    }
    return found.genotype
  }
}

/// A token of the Python subset genotypes use.
private struct Token: Equatable {
  enum Kind: Equatable {
    case identifier(String)
    case string(String)
    case integer(Int)
    case punctuation(Character)
    case end
  }
  var kind: Kind
  var line: Int
  var column: Int

  var description: String {
    switch kind {
    case .identifier(let name): name
    case .string(let text): "'\(text)'"
    case .integer(let value): String(value)
    case .punctuation(let c): "'\(c)'"
    case .end: "the end of the text"
    }
  }
}

private enum Lexer {
  /// All tokens of `text`, ending with `.end`.
  static func tokens(of text: String, source: String) throws -> [Token] {
    try statements(of: text, source: source, splitting: false).flatMap { $0 } + [endToken(text)]
  }

  static func endToken(_ text: String) -> Token {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return Token(kind: .end, line: lines.count, column: (lines.last?.count ?? 0) + 1)
  }

  /// The tokens of each top-level statement: a line break outside brackets ends a statement.
  static func statements(of text: String, source: String, splitting: Bool = true) throws -> [[Token]] {
    var statements: [[Token]] = [[]]
    var depth = 0
    var line = 1
    var column = 1
    var characters = Array(text)[...]
    func fail(_ message: String) -> GenotypeError {
      .syntax(source: source, line: line, column: column, message: message)
    }
    func advance() -> Character {
      let c = characters.removeFirst()
      if c == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
      return c
    }
    while let c = characters.first {
      let start = (line, column)
      func emit(_ kind: Token.Kind) {
        statements[statements.count - 1].append(Token(kind: kind, line: start.0, column: start.1))
      }
      if c == "#" {
        while let next = characters.first, next != "\n" { _ = advance() }
      } else if c == "\\" && characters.dropFirst().first == "\n" {
        _ = advance()
        _ = advance()
      } else if c == "\n" {
        _ = advance()
        if depth == 0 && splitting && !statements[statements.count - 1].isEmpty { statements.append([]) }
      } else if c.isWhitespace {
        _ = advance()
      } else if c == "'" || c == "\"" {
        _ = advance()
        var value = ""
        while true {
          guard let next = characters.first, next != "\n" else { throw fail("this string is not closed") }
          _ = advance()
          if next == c { break }
          if next == "\\", let escaped = characters.first {
            _ = advance()
            value.append(escaped)
          } else {
            value.append(next)
          }
        }
        emit(.string(value))
      } else if c.isNumber || (c == "-" && characters.dropFirst().first?.isNumber == true) {
        var digits = String(advance())
        while let next = characters.first, next.isNumber || next == "_" { digits.append(advance()) }
        guard let value = Int(digits.filter { $0 != "_" }) else {
          throw fail("'\(digits)' is not an integer")
        }
        emit(.integer(value))
      } else if c.isLetter || c == "_" {
        var name = ""
        while let next = characters.first, next.isLetter || next.isNumber || next == "_" || next == "." {
          name.append(advance())
        }
        emit(.identifier(name))
      } else if "()[],=:{}".contains(c) {
        _ = advance()
        if "([{".contains(c) { depth += 1 }
        if ")]}".contains(c) { depth = max(depth - 1, 0) }
        emit(.punctuation(c))
      } else {
        throw fail("unexpected character '\(c)'")
      }
    }
    return statements.filter { !$0.isEmpty }
  }
}

/// A field value: a list of (op, input) pairs or a list of integers (a concat).
private enum FieldValue {
  case edges([GenotypeEdge])
  case integers([Int])
}

private struct Parser {
  var tokens: [Token]
  var index = 0
  let source: String

  init(tokens: [Token], source: String) {
    self.tokens = tokens
    self.source = source
  }

  var current: Token { tokens[min(index, tokens.count - 1)] }

  func fail(_ message: String, at token: Token? = nil) -> GenotypeError {
    let t = token ?? current
    return .syntax(source: source, line: t.line, column: t.column, message: message)
  }

  mutating func take() -> Token {
    let t = current
    index += 1
    return t
  }

  mutating func expect(_ c: Character, after what: String) throws {
    guard current.kind == .punctuation(c) else { throw fail("expected '\(c)' \(what), found \(current.description)") }
    index += 1
  }

  mutating func skip(_ c: Character) -> Bool {
    guard current.kind == .punctuation(c) else { return false }
    index += 1
    return true
  }

  mutating func expectEnd() throws {
    guard current.kind == .end else { throw fail("unexpected \(current.description) after the genotype") }
  }

  /// Whether the tokens start `Genotype(` (any name ending in `Genotype`, e.g. `genotypes.Genotype`).
  var startsGenotypeCall: Bool {
    if case .identifier(let name) = current.kind, name.hasSuffix("Genotype") { return true }
    return false
  }

  static let fields = [
    "normal", "normal_concat", "reduce", "reduce_concat", "instance_head", "instance_head_concat", "class_head",
    "class_head_concat",
  ]

  /// `Genotype(field=value, ...)`.
  mutating func genotypeCall() throws -> Genotype {
    guard startsGenotypeCall else { throw fail("expected Genotype(...), found \(current.description)") }
    index += 1
    try expect("(", after: "after Genotype")
    var values: [String: (FieldValue, Token)] = [:]
    var position = 0
    while !skip(")") {
      let start = current
      var field: String
      if case .identifier(let name) = current.kind, tokens[min(index + 1, tokens.count - 1)].kind == .punctuation("=") {
        guard Self.fields.contains(name) else {
          throw fail("unknown field '\(name)'; a genotype has \(Self.fields.joined(separator: ", "))")
        }
        field = name
        index += 2
      } else {
        guard position < Self.fields.count else { throw fail("too many fields in Genotype(...)") }
        field = Self.fields[position]
      }
      guard values[field] == nil else { throw fail("field '\(field)' is given twice", at: start) }
      values[field] = (try value(), start)
      position += 1
      guard skip(",") || current.kind == .punctuation(")") else {
        throw fail("expected ',' or ')' in Genotype(...), found \(current.description)")
      }
    }
    func cell(_ name: String) throws -> CellGenotype? {
      guard let (listValue, token) = values[name] else { return nil }
      guard case .edges(let edges) = listValue else {
        throw fail("\(name) must be a list of (op, input) pairs", at: token)
      }
      guard let (concatValue, concatToken) = values[name + "_concat"] else {
        throw fail("\(name)_concat is missing", at: token)
      }
      guard case .integers(let concat) = concatValue else {
        throw fail("\(name)_concat must be a list of node numbers", at: concatToken)
      }
      return CellGenotype(edges: edges, concat: concat)
    }
    guard let normal = try cell("normal") else { throw fail("the genotype has no 'normal' cell") }
    guard let reduce = try cell("reduce") else { throw fail("the genotype has no 'reduce' cell") }
    let instance = try cell("instance_head")
    let classHead = try cell("class_head")
    guard (instance == nil) == (classHead == nil) else {
      throw GenotypeError.invalid("\(source): a two-head genotype needs both instance_head and class_head")
    }
    let genotype = Genotype(normal: normal, reduce: reduce, instance: instance, class: classHead)
    do {
      try genotype.validate()
    } catch let error as GenotypeError {
      throw GenotypeError.invalid("\(source): \(error)")
    }
    return genotype
  }

  /// A list of (op, input) pairs, a list of integers, `range(a, b)` or `list(range(a, b))`.
  mutating func value() throws -> FieldValue {
    if case .identifier(let name) = current.kind, name == "range" || name == "list" {
      index += 1
      try expect("(", after: "after \(name)")
      let result: FieldValue
      if name == "list" {
        result = try value()
      } else {
        let a = try integer()
        try expect(",", after: "in range(a, b)")
        let b = try integer()
        guard b >= a else { throw fail("range(\(a), \(b)) is empty") }
        result = .integers(Array(a..<b))
      }
      try expect(")", after: "to close \(name)(...)")
      return result
    }
    try expect("[", after: "to start a list")
    var edges: [GenotypeEdge] = []
    var numbers: [Int] = []
    while !skip("]") {
      if current.kind == .punctuation("(") {
        guard numbers.isEmpty else { throw fail("a list mixes numbers and (op, input) pairs") }
        edges.append(try edge())
      } else {
        guard edges.isEmpty else { throw fail("a list mixes (op, input) pairs and numbers") }
        numbers.append(try integer())
      }
      guard skip(",") || current.kind == .punctuation("]") else {
        throw fail("expected ',' or ']' in the list, found \(current.description)")
      }
    }
    return edges.isEmpty && !numbers.isEmpty ? .integers(numbers) : .edges(edges)
  }

  mutating func integer() throws -> Int {
    guard case .integer(let value) = current.kind else { throw fail("expected a number, found \(current.description)") }
    index += 1
    return value
  }

  /// `('op_name', input)`.
  mutating func edge() throws -> GenotypeEdge {
    try expect("(", after: "to start an (op, input) pair")
    let opToken = take()
    guard case .string(let name) = opToken.kind else {
      throw fail("expected an op name in quotes, found \(opToken.description)", at: opToken)
    }
    guard let op = Primitive(name: name) else {
      throw fail(
        "'\(name)' is not a DARTS primitive; expected one of \(Primitive.allCases.map(\.name).joined(separator: ", "))",
        at: opToken)
    }
    try expect(",", after: "after the op name")
    let input = try integer()
    try expect(")", after: "to close the (op, input) pair")
    return GenotypeEdge(op: op, input: input)
  }
}
