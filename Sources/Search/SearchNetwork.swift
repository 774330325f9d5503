import Architecture
import Engine
import Operations

/// The DARTS search network (Liu et al. 2019), optionally with the two BBN heads (Zhou et al. 2020).
///
/// Plain: stem (conv3x3 to 3C, BN) - L cells - global pool - `classifier`. Two-head: the backbone's last
/// two states feed `head_instance` and `head_class`, each `headCells` normal cells + pool + its own
/// linear classifier, with their own alphas.
public final class SearchNetwork {
  public let shape: NetworkShape
  let stemWeight: Tensor
  let stemNorm: BatchNorm
  let cells: [SearchCell]
  let heads: [[SearchCell]]
  let classifiers: [(weight: Tensor, bias: Tensor)]
  /// Architecture parameters [edges, primitives] per component.
  public let alphas: [ArchitectureComponent: Tensor]

  /// A network with PyTorch-default initial weights and alphas 1e-3 * N(0, 1), all from `seed`.
  public init(shape: NetworkShape, seed: UInt64) {
    self.shape = shape
    var initializer = WeightInitializer(seed: seed)
    let stemChannels = shape.stemMultiplier * shape.channels
    stemWeight = initializer.uniform([stemChannels, shape.inputChannels, 3, 3])
    stemNorm = BatchNorm(channels: stemChannels, affine: true)
    var cpp = stemChannels
    var cp = stemChannels
    var c = shape.channels
    var reductionPrev = false
    var built: [SearchCell] = []
    for i in 0..<shape.layers {
      let reduction = Reductions.isReduction(i, layers: shape.layers)
      if reduction { c *= 2 }
      built.append(
        SearchCell(
          topology: shape.topology, prevPrevChannels: cpp, prevChannels: cp, channels: c,
          reduction: reduction, reductionPrev: reductionPrev, initializer: &initializer))
      reductionPrev = reduction
      cpp = cp
      cp = shape.topology.multiplier * c
    }
    cells = built
    var headCells: [[SearchCell]] = []
    var classifiers: [(weight: Tensor, bias: Tensor)] = []
    for _ in 0..<(shape.isTwoHead ? 2 : 1) {
      var head: [SearchCell] = []
      var hpp = cpp
      var hp = cp
      var headReductionPrev = reductionPrev
      if shape.isTwoHead {
        for _ in 0..<shape.headCells {
          head.append(
            SearchCell(
              topology: shape.topology, prevPrevChannels: hpp, prevChannels: hp, channels: c,
              reduction: false, reductionPrev: headReductionPrev, initializer: &initializer))
          headReductionPrev = false
          hpp = hp
          hp = shape.topology.multiplier * c
        }
        headCells.append(head)
      }
      classifiers.append(
        (initializer.uniform([shape.classes, hp]), initializer.uniform([shape.classes], fanIn: hp)))
    }
    heads = headCells
    self.classifiers = classifiers
    let edgeCount = shape.topology.edgeCount
    var alphas: [ArchitectureComponent: Tensor] = [:]
    for component in shape.components {
      let a = Tensor(uninitialized: [edgeCount, Primitive.allCases.count], requiresGrad: true)
      a.fillNormal(std: 1e-3, using: &initializer.generator)
      alphas[component] = a
    }
    self.alphas = alphas
  }

  /// The weights (everything but the alphas) with their DARTS names, in a stable order.
  public var weights: [NamedTensor] { names.weights }

  /// The architecture parameters with their names, in component order.
  public var architectureParameters: [NamedTensor] {
    shape.components.map { NamedTensor($0.parameterName, alphas[$0]!) }
  }

  /// The BN running statistics with the DARTS names of their modules.
  public var statistics: [NamedStatistics] { names.statistics }

  /// The network's parts under their state_dict names.
  var names: NetworkNames {
    NetworkNames(
      stemWeight: stemWeight, stemNorm: stemNorm, cells: cells, heads: heads, classifiers: classifiers)
  }

  /// The float BN buffers (running mean and variance) with their DARTS names.
  public var buffers: [NamedTensor] { statistics.flatMap(\.buffers) }

  /// Everything a checkpoint stores for the model: weights, alphas and BN statistics.
  public var stateDict: [NamedTensor] { weights + architectureParameters + buffers }

  /// Softmaxed alphas of each component, recorded on the tape so gradients reach the alphas.
  func architectureWeights(_ tape: Tape) -> [ArchitectureComponent: Tensor] {
    var result: [ArchitectureComponent: Tensor] = [:]
    for (component, a) in alphas { result[component] = tape.softmax(a) }
    return result
  }

  /// The backbone's last two states for input `x`.
  func backbone(_ x: Tensor, weights: [ArchitectureComponent: Tensor], _ context: ForwardContext) -> (Tensor, Tensor) {
    let tape = context.tape
    let stem = stemNorm(tape.conv2d(x, weight: stemWeight, padding: 1), context)
    var s0 = stem
    var s1 = stem
    for cell in cells {
      let w = cell.reduction ? weights[.reduce]! : weights[.normal]!
      let next = cell(s0, s1, weights: w, context)
      s0 = s1
      s1 = next
    }
    return (s0, s1)
  }

  /// Logits of head `index` (0 plain or instance, 1 class) on the backbone states.
  func head(_ index: Int, states: (Tensor, Tensor), weights: [ArchitectureComponent: Tensor], _ context: ForwardContext)
    -> Tensor
  {
    var (s0, s1) = states
    if shape.isTwoHead {
      let w = index == 0 ? weights[.instance]! : weights[.class]!
      for cell in heads[index] {
        let next = cell(s0, s1, weights: w, context)
        s0 = s1
        s1 = next
      }
    }
    let pooled = context.tape.globalAveragePool(s1)
    return context.tape.linear(pooled, weight: classifiers[index].weight, bias: classifiers[index].bias)
  }

  /// Plain DARTS logits.
  public func logits(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    let w = architectureWeights(context.tape)
    return head(0, states: backbone(x, weights: w, context), weights: w, context)
  }

  /// Two-head logits: the instance head on `instance`, the class head on `classBatch` (the same tensor at
  /// test time), each through its own backbone pass. Returns (z_instance, z_class).
  public func headLogits(instance: Tensor, classBatch: Tensor, _ context: ForwardContext) -> (Tensor, Tensor) {
    require(shape.isTwoHead, "SearchNetwork.headLogits needs the two-head network, got one with \(shape.heads) heads")
    let w = architectureWeights(context.tape)
    let zi = head(0, states: backbone(instance, weights: w, context), weights: w, context)
    let zc = head(1, states: backbone(classBatch, weights: w, context), weights: w, context)
    return (zi, zc)
  }
}
