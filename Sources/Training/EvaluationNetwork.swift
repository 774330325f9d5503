import Architecture
import Datasets
import Engine
import Operations

/// The network that trains a found architecture from scratch (DARTS `model.NetworkCIFAR`, Liu et al. 2019
/// §3.3): stem conv3x3 to 3C + BN; L cells of the genotype (reductions at L/3 and 2L/3 double C); global
/// average pooling and a linear classifier; the auxiliary head after cell 2L/3 in training. With two heads
/// (BBN, Zhou et al. 2020) the backbone's last two states feed `head_instance` and `head_class`, each
/// `headCells` normal cells of the head's own genotype with its own pooling and classifier.
///
/// Parameter and buffer names are NetworkCIFAR's state_dict keys (`stem.0.weight`, `cells.3._ops.5.op.1.weight`,
/// `auxiliary_head.features.2.weight`, `classifier.weight`, BN `running_mean`, `running_var`,
/// `num_batches_tracked`), so a checkpoint loads strictly into it.
public final class EvaluationNetwork {
  public let shape: EvaluationShape
  public let genotype: Genotype
  let stemWeight: Tensor
  let stemNorm: BatchNorm
  let cells: [EvaluationCell]
  let auxiliaryHead: AuxiliaryHead?
  /// Instance and class heads (two-head networks).
  let heads: [[EvaluationCell]]
  let classifiers: [(weight: Tensor, bias: Tensor)]

  /// Why `genotype` cannot be trained with `shape`, or nil.
  public static func problem(genotype: Genotype, shape: EvaluationShape) -> String? {
    do {
      try genotype.validate()
    } catch {
      return "\(error)"
    }
    for (component, cell) in genotype.cells {
      if let edge = cell.edges.firstIndex(where: { $0.op == .none }) {
        return "\(Genotype.keyword(component)) edge \(edge + 1) is 'none', which a trained cell cannot use"
      }
    }
    if shape.isTwoHead && !genotype.isTwoHead {
      return "a two-head recipe needs a genotype with instance_head and class_head cells"
    }
    return shape.sizeProblem
  }

  /// A network with PyTorch-default initial weights drawn from `seed`; `problem(genotype:shape:)` must be nil.
  public init(genotype: Genotype, shape: EvaluationShape, seed: UInt64) {
    let problem = Self.problem(genotype: genotype, shape: shape)
    require(problem == nil, "EvaluationNetwork: invalid genotype or shape: \(problem ?? "")")
    self.shape = shape
    self.genotype = genotype
    var initializer = WeightInitializer(seed: seed)
    let stemChannels = 3 * shape.channels
    stemWeight = initializer.uniform([stemChannels, shape.inputChannels, 3, 3])
    stemNorm = BatchNorm(channels: stemChannels, affine: true)
    var cpp = stemChannels
    var cp = stemChannels
    var c = shape.channels
    var reductionPrev = false
    var built: [EvaluationCell] = []
    var auxiliaryChannels = cp
    for i in 0..<shape.layers {
      let reduction = shape.isReduction(i)
      if reduction { c *= 2 }
      let cellGenotype = reduction ? genotype.reduce : genotype.normal
      built.append(
        EvaluationCell(
          genotype: cellGenotype, prevPrevChannels: cpp, prevChannels: cp, channels: c, reduction: reduction,
          reductionPrev: reductionPrev, initializer: &initializer))
      reductionPrev = reduction
      cpp = cp
      cp = EvaluationCell.outputChannels(cellGenotype, channels: c)
      if i == shape.auxiliaryCell { auxiliaryChannels = cp }
    }
    cells = built
    auxiliaryHead =
      shape.auxiliary
      ? AuxiliaryHead(
        channels: auxiliaryChannels, classes: shape.classes, inputSize: shape.auxiliaryInputSize,
        initializer: &initializer) : nil
    var heads: [[EvaluationCell]] = []
    var classifiers: [(weight: Tensor, bias: Tensor)] = []
    if shape.isTwoHead, let instance = genotype.instance, let classCell = genotype.class {
      for headGenotype in [instance, classCell] {
        var head: [EvaluationCell] = []
        var (a, b, previousReduction) = (cpp, cp, reductionPrev)
        for _ in 0..<shape.headCells {
          head.append(
            EvaluationCell(
              genotype: headGenotype, prevPrevChannels: a, prevChannels: b, channels: c, reduction: false,
              reductionPrev: previousReduction, initializer: &initializer))
          (a, b, previousReduction) = (b, EvaluationCell.outputChannels(headGenotype, channels: c), false)
        }
        heads.append(head)
        classifiers.append((initializer.uniform([shape.classes, b]), initializer.uniform([shape.classes], fanIn: b)))
      }
    } else {
      classifiers.append((initializer.uniform([shape.classes, cp]), initializer.uniform([shape.classes], fanIn: cp)))
    }
    self.heads = heads
    self.classifiers = classifiers
  }

  // MARK: Names

  /// The trainable parameters with their NetworkCIFAR names, in state_dict order.
  public var weights: [NamedTensor] { names.weights }

  /// The BN running statistics with the names of their modules.
  public var statistics: [NamedStatistics] { names.statistics }

  /// The network's parts under their state_dict names.
  var names: NetworkNames {
    NetworkNames(
      stemWeight: stemWeight, stemNorm: stemNorm, cells: cells, auxiliaryHead: auxiliaryHead, heads: heads,
      classifiers: classifiers)
  }

  /// The float tensors of the state_dict: weights, running means and variances.
  public var stateDict: [NamedTensor] { weights + statistics.flatMap(\.buffers) }

  /// Parameters without the auxiliary head, as DARTS' `count_parameters_in_MB` counts them.
  public var parameterCount: Int {
    weights.filter { !$0.name.hasPrefix("auxiliary_head.") }.reduce(0) { $0 + $1.tensor.count }
  }

  /// Copies every state_dict tensor that `lookup` resolves (num_batches_tracked from `counter`); returns the
  /// names it did not find.
  @discardableResult
  public func load(_ lookup: (String) throws -> Tensor?, counter: (String) throws -> Int? = { _ in nil }) throws
    -> [String]
  {
    let missing = try NetworkNames.load(stateDict, from: lookup) {
      TrainingError.shapeMismatch(name: $0, expected: $1, found: $2)
    }
    for entry in statistics {
      if let count = try counter(entry.counterName) { entry.statistics.batchesTracked = count }
    }
    return missing
  }

  // MARK: Forward

  /// The backbone's last two states for `x`, and the auxiliary logits when the head runs (training only).
  func backbone(_ x: Tensor, _ context: ForwardContext) -> (Tensor, Tensor, Tensor?) {
    let tape = context.tape
    let stem = stemNorm(tape.conv2d(x, weight: stemWeight, padding: 1), context)
    var auxiliary: Tensor?
    let (s0, s1) = EvaluationCell.chain(cells, from: stem, stem, context) { i, state in
      if i == shape.auxiliaryCell, context.training, let auxiliaryHead { auxiliary = auxiliaryHead(state, context) }
    }
    return (s0, s1, auxiliary)
  }

  /// Logits of classifier `index` after the cells of head `index` (none for the plain network).
  func head(_ index: Int, _ states: (Tensor, Tensor), _ context: ForwardContext) -> Tensor {
    let s1 = shape.isTwoHead ? EvaluationCell.chain(heads[index], from: states.0, states.1, context).1 : states.1
    let pooled = context.tape.globalAveragePool(s1)
    return context.tape.linear(pooled, weight: classifiers[index].weight, bias: classifiers[index].bias)
  }

  /// The network's outputs: z (for two heads mu z_instance(x) + (1 - mu) z_class(classBatch ?? x), each
  /// head on its own backbone pass unless the two inputs are the same), and the auxiliary logits of `x`
  /// and of the class batch when the auxiliary head runs.
  public func forward(_ x: Tensor, classBatch: Tensor? = nil, mu: Float = 0.5, _ context: ForwardContext)
    -> EvaluationOutput
  {
    let (s0, s1, auxiliary) = backbone(x, context)
    guard shape.isTwoHead else { return EvaluationOutput(logits: head(0, (s0, s1), context), auxiliary: auxiliary) }
    let (t0, t1, auxiliaryClass) = classBatch.map { backbone($0, context) } ?? (s0, s1, auxiliary)
    let zi = head(0, (s0, s1), context)
    let zc = head(1, (t0, t1), context)
    return EvaluationOutput(
      logits: context.tape.combine([(zi, mu), (zc, 1 - mu)]), auxiliary: auxiliary,
      auxiliaryClass: classBatch == nil ? nil : auxiliaryClass)
  }
}

/// What a forward pass of the evaluation network gives.
public struct EvaluationOutput {
  public var logits: Tensor
  /// The auxiliary head's logits of the (instance) batch, in training with the head.
  public var auxiliary: Tensor?
  /// Two heads: the auxiliary logits of the class batch.
  public var auxiliaryClass: Tensor?
}
