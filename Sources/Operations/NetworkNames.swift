import Engine

/// A DARTS cell as its `state_dict` names it: `preprocess0.`, `preprocess1.` and `_ops.<k>.` for its edges in
/// order (`MixedOp`s in a search cell, the genotype's ops in an evaluation cell).
public protocol NamedCell: NamedModule {
  var preprocess0: Layer { get }
  var preprocess1: Layer { get }
  /// The edges' modules, in `_ops` order.
  var edgeModules: [NamedModule] { get }
}

extension NamedCell {
  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    preprocess0.collectParameters(prefix: prefix + "preprocess0.", into: &list)
    preprocess1.collectParameters(prefix: prefix + "preprocess1.", into: &list)
    for (k, op) in edgeModules.enumerated() { op.collectParameters(prefix: "\(prefix)_ops.\(k).", into: &list) }
  }

  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    preprocess0.collectStatistics(prefix: prefix + "preprocess0.", into: &list)
    preprocess1.collectStatistics(prefix: prefix + "preprocess1.", into: &list)
    for (k, op) in edgeModules.enumerated() { op.collectStatistics(prefix: "\(prefix)_ops.\(k).", into: &list) }
  }
}

/// The `state_dict` names shared by DARTS' search `Network` and evaluation `NetworkCIFAR`, with the BBN
/// heads: `stem.0` (conv) and `stem.1` (BN), `cells.<i>.`, `auxiliary_head.` (evaluation only), then either
/// `classifier` or, with two heads, `head_instance.<i>.`, `head_class.<i>.`, `classifier_instance` and
/// `classifier_class`.
public struct NetworkNames {
  public let stemWeight: Tensor
  public let stemNorm: BatchNorm
  public let cells: [NamedModule]
  public let auxiliaryHead: NamedModule?
  /// Empty for one head; instance then class head for two.
  public let heads: [[NamedModule]]
  public let classifiers: [(weight: Tensor, bias: Tensor)]

  public init(
    stemWeight: Tensor, stemNorm: BatchNorm, cells: [NamedModule], auxiliaryHead: NamedModule? = nil,
    heads: [[NamedModule]], classifiers: [(weight: Tensor, bias: Tensor)]
  ) {
    self.stemWeight = stemWeight
    self.stemNorm = stemNorm
    self.cells = cells
    self.auxiliaryHead = auxiliaryHead
    self.heads = heads
    self.classifiers = classifiers
  }

  static let headNames = ["head_instance", "head_class"]
  static let classifierNames = ["classifier_instance", "classifier_class"]

  /// The trainable parameters in state_dict order.
  public var weights: [NamedTensor] {
    var list = [NamedTensor("stem.0.weight", stemWeight)]
    stemNorm.collectParameters(name: "stem.1", into: &list)
    for (i, cell) in cells.enumerated() { cell.collectParameters(prefix: "cells.\(i).", into: &list) }
    auxiliaryHead?.collectParameters(prefix: "auxiliary_head.", into: &list)
    for (name, head) in zip(Self.headNames, heads) {
      for (i, cell) in head.enumerated() { cell.collectParameters(prefix: "\(name).\(i).", into: &list) }
    }
    let names = heads.isEmpty ? ["classifier"] : Self.classifierNames
    for (name, classifier) in zip(names, classifiers) {
      list.append(NamedTensor(name + ".weight", classifier.weight))
      list.append(NamedTensor(name + ".bias", classifier.bias))
    }
    return list
  }

  /// The BN running statistics with the names of their modules, in state_dict order.
  public var statistics: [NamedStatistics] {
    var list: [NamedStatistics] = []
    stemNorm.collectStatistics(name: "stem.1", into: &list)
    for (i, cell) in cells.enumerated() { cell.collectStatistics(prefix: "cells.\(i).", into: &list) }
    auxiliaryHead?.collectStatistics(prefix: "auxiliary_head.", into: &list)
    for (name, head) in zip(Self.headNames, heads) {
      for (i, cell) in head.enumerated() { cell.collectStatistics(prefix: "\(name).\(i).", into: &list) }
    }
    return list
  }

  /// Copies into each of `entries` the tensor `lookup` finds under its name; returns the names it did not
  /// find. A tensor of another shape is `mismatch`'s error (name, expected shape, found shape).
  public static func load(
    _ entries: [NamedTensor], from lookup: (String) throws -> Tensor?,
    mismatch: (String, [Int], [Int]) -> Error
  ) throws -> [String] {
    var missing: [String] = []
    for entry in entries {
      guard let source = try lookup(entry.name) else {
        missing.append(entry.name)
        continue
      }
      guard source.shape == entry.tensor.shape else { throw mismatch(entry.name, entry.tensor.shape, source.shape) }
      entry.tensor.assign(source)
    }
    return missing
  }
}
