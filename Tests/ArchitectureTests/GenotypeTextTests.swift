import Architecture
import Testing

@Suite struct GenotypeTextTests {
  /// DARTS' published cell (genotypes.py, DARTS_V2).
  static let dartsV2 =
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
    + "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
    + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
    + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
    + "reduce_concat=[2, 3, 4, 5])"

  /// A cell that uses every primitive.
  static func everyPrimitive(shift: Int) -> CellGenotype {
    let ops = Primitive.allCases
    return CellGenotype(
      edges: (0..<8).map { i in GenotypeEdge(op: ops[(i + shift) % ops.count], input: (i / 2 + 1 + i) % (2 + i / 2)) },
      concat: [2, 3, 4, 5])
  }

  @Test func dartsV2ParsesAndPrintsBackTheSameText() throws {
    let g = try GenotypeParser.parse(Self.dartsV2)
    #expect(g.normal.edges.count == 8 && g.reduce.edges.count == 8)
    #expect(g.normal.edges[7] == GenotypeEdge(op: .dil_conv_3x3, input: 2))
    #expect(!g.isTwoHead)
    #expect(g.pythonText == Self.dartsV2)
  }

  @Test(arguments: [0, 3, 5])
  func everyPrimitiveRoundTripsThroughTheTextForm(shift: Int) throws {
    let g = Genotype(
      normal: Self.everyPrimitive(shift: shift), reduce: Self.everyPrimitive(shift: shift + 1),
      instance: Self.everyPrimitive(shift: shift + 2), class: Self.everyPrimitive(shift: shift + 3))
    #expect(Set(g.cells.flatMap { $0.cell.edges.map(\.op) }) == Set(Primitive.allCases))
    #expect(try GenotypeParser.parse(g.pythonText) == g)
  }

  @Test func aDartsGenotypesFileParsesWithRangesCommentsAndAliases() throws {
    let file = """
      from collections import namedtuple

      Genotype = namedtuple('Genotype', 'normal normal_concat reduce reduce_concat')

      PRIMITIVES = [
          'none',
          'max_pool_3x3',  # comments and trailing commas
      ]

      NASNet = Genotype(
        normal = [
          ('sep_conv_5x5', 1),
          ('sep_conv_3x3', 0),
          ('sep_conv_5x5', 0), ('sep_conv_3x3', 0), ('avg_pool_3x3', 1), ('skip_connect', 0),
          ('avg_pool_3x3', 0), ('avg_pool_3x3', 0),
        ],
        normal_concat = range(2, 6),
        reduce = [('sep_conv_5x5', 1), ('sep_conv_5x5', 0), ('max_pool_3x3', 1), ('sep_conv_5x5', 1),
          ('avg_pool_3x3', 1), ('sep_conv_5x5', 0), ('skip_connect', 3), ('avg_pool_3x3', 2)],
        reduce_concat = [2, 3, 4, 5],
      )
      DARTS_V2 = \(Self.dartsV2)
      DARTS = DARTS_V2
      """
    let all = try GenotypeParser.parseFile(file, source: "genotypes.py")
    #expect(all.map(\.name) == ["NASNet", "DARTS_V2", "DARTS"])
    #expect(all[0].genotype.normal.concat == [2, 3, 4, 5])
    #expect(all[0].genotype.normal.edges.first == GenotypeEdge(op: .sep_conv_5x5, input: 1))
    #expect(
      try GenotypeParser.genotype(named: "DARTS", inFile: file, source: "genotypes.py").pythonText == Self.dartsV2)
  }

  @Test func theTwoHeadExportFormReadsBackWithItsHeads() throws {
    let file = """
      NAME = \(Self.dartsV2)
      NAME_INSTANCE_HEAD = \(Self.everyPrimitive(shift: 1).pythonList)
      NAME_INSTANCE_HEAD_CONCAT = [2, 3, 4, 5]
      NAME_CLASS_HEAD = \(Self.everyPrimitive(shift: 2).pythonList)
      NAME_CLASS_HEAD_CONCAT = range(2, 6)
      """
    let g = try GenotypeParser.genotype(named: "NAME", inFile: file, source: "x.py")
    #expect(g.isTwoHead)
    #expect(g.instance == Self.everyPrimitive(shift: 1))
    #expect(g.class == Self.everyPrimitive(shift: 2))
  }

  @Test(arguments: [
    ("Genotype(normal=[('sep_conv_7x7', 0)])", "g:1:19: 'sep_conv_7x7' is not a DARTS primitive"),
    ("Genotype(normal=[('skip_connect', 0), ('skip_connect', 1)], normal_concat=[2])", "no 'reduce' cell"),
    (
      "Genotype(normal=[('skip_connect', 0), ('skip_connect', 1)], normal_concat=[2], reduce=[])",
      "reduce_concat is missing"
    ),
    (
      "Genotype(normal=[('skip_connect', 0), ('skip_connect', 2)], normal_concat=[2], "
        + "reduce=[('skip_connect', 0), ('skip_connect', 1)], reduce_concat=[2])",
      "feeds node 2, which can only read states 0...1"
    ),
    ("Genotype(normal=[('skip_connect', 0), ('skip_connect', 1)])", "normal_concat is missing"),
    ("Genotype(normal=[('skip_connect' 0)])", "g:1:34: expected ',' after the op name, found 0"),
    ("Genotype(normal=[('skip_connect', 0)", "expected ',' or ']'"),
    ("Genotype(colour=[1])", "unknown field 'colour'"),
    ("Cell(normal=[])", "expected Genotype(...)"),
  ])
  func badTextSaysWhereAndWhat(_ text: String, _ expected: String) {
    do {
      _ = try GenotypeParser.parse(text, source: "g")
      Issue.record("parsed: \(text)")
    } catch {
      #expect("\(error)".contains(expected), "\(error)")
    }
  }

  @Test func aMissingNameListsTheNamesTheFileHas() {
    #expect(throws: GenotypeError.notFound(name: "X", source: "f.py", available: ["A"])) {
      try GenotypeParser.genotype(named: "X", inFile: "A = \(Self.dartsV2)", source: "f.py")
    }
  }
}
