/// A derived architecture in DARTS' form (`genotypes.Genotype`: normal, normal_concat, reduce, reduce_concat),
/// extended for the two-head network by the instance and class heads' normal cells.
///
/// Text form: `Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...],
/// reduce_concat=[2, 3, 4, 5])`, and for two heads also `instance_head=[...], instance_head_concat=[...],
/// class_head=[...], class_head_concat=[...]`. `GenotypeParser` reads it back, and DARTS' `genotypes.py`.
public struct Genotype: Sendable, Equatable, Hashable {
  public var normal: CellGenotype
  public var reduce: CellGenotype
  /// The instance head's cell (two-head genotypes only).
  public var instance: CellGenotype?
  /// The class head's cell (two-head genotypes only).
  public var `class`: CellGenotype?

  public init(normal: CellGenotype, reduce: CellGenotype, instance: CellGenotype? = nil, class: CellGenotype? = nil) {
    self.normal = normal
    self.reduce = reduce
    self.instance = instance
    self.class = `class`
  }

  /// The genotype of the components in `cells`; nil without both backbone cells, or with only one head.
  public init?(cells: [ArchitectureComponent: CellGenotype]) {
    guard let normal = cells[.normal], let reduce = cells[.reduce] else { return nil }
    guard (cells[.instance] == nil) == (cells[.class] == nil) else { return nil }
    self.init(normal: normal, reduce: reduce, instance: cells[.instance], class: cells[.class])
  }

  /// Whether the genotype carries the two heads' cells.
  public var isTwoHead: Bool { instance != nil && `class` != nil }

  /// The cells by component, in component order.
  public var cells: [(component: ArchitectureComponent, cell: CellGenotype)] {
    var result: [(ArchitectureComponent, CellGenotype)] = [(.normal, normal), (.reduce, reduce)]
    if let instance { result.append((.instance, instance)) }
    if let `class` { result.append((.class, `class`)) }
    return result
  }

  /// The cell of `component`, if the genotype has it.
  public subscript(component: ArchitectureComponent) -> CellGenotype? {
    switch component {
    case .normal: normal
    case .reduce: reduce
    case .instance: instance
    case .class: `class`
    }
  }

  /// The Python keyword of a component's cell list in the text form.
  public static func keyword(_ component: ArchitectureComponent) -> String {
    switch component {
    case .normal: "normal"
    case .reduce: "reduce"
    case .instance: "instance_head"
    case .class: "class_head"
    }
  }

  /// The text form, as DARTS prints a `Genotype` (with the heads' fields for a two-head genotype).
  public var pythonText: String {
    let fields = cells.map { component, cell in
      "\(Self.keyword(component))=\(cell.pythonList), \(Self.keyword(component))_concat=\(cell.pythonConcat)"
    }
    return "Genotype(" + fields.joined(separator: ", ") + ")"
  }

  /// The genotype as a DARTS `genotypes.py` module defining `name` (what `GenotypeParser` reads back): the
  /// `Genotype` namedtuple, `NAME = Genotype(normal=..., normal_concat=..., reduce=..., reduce_concat=...)`, and
  /// for two heads the lists `NAME_INSTANCE_HEAD`, `NAME_CLASS_HEAD` and their `_CONCAT` lists, so the file also
  /// loads into DARTS' own code, which knows only the backbone's four fields.
  public func pythonModule(name: String) -> String {
    var lines = [
      "from collections import namedtuple",
      "",
      "Genotype = namedtuple('Genotype', 'normal normal_concat reduce reduce_concat')",
      "",
      "\(name) = Genotype(normal=\(normal.pythonList), normal_concat=\(normal.pythonConcat), "
        + "reduce=\(reduce.pythonList), reduce_concat=\(reduce.pythonConcat))",
    ]
    for (cell, suffix) in [(instance, "INSTANCE_HEAD"), (`class`, "CLASS_HEAD")] {
      guard let cell else { continue }
      lines.append("\(name)_\(suffix) = \(cell.pythonList)")
      lines.append("\(name)_\(suffix)_CONCAT = \(cell.pythonConcat)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Checks every cell (see `CellGenotype.validate`).
  public func validate() throws {
    for (component, cell) in cells { try cell.validate(name: Self.keyword(component)) }
  }
}
