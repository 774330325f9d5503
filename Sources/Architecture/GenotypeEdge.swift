/// One kept edge of a derived cell: the op and the state it reads (0 and 1 are the cell inputs).
public struct GenotypeEdge: Codable, Sendable, Equatable, Hashable {
  public var op: Primitive
  public var input: Int

  public init(op: Primitive, input: Int) {
    self.op = op
    self.input = input
  }
}
