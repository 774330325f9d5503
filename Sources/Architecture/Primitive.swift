/// The eight DARTS primitives (Liu et al. 2019, `genotypes.PRIMITIVES`), in the conventional order: the
/// column order of every alpha tensor. Raw values are the DARTS names; nothing else in tailnas spells them.
public enum Primitive: String, CaseIterable, Sendable, Codable, Hashable {
  case none
  case max_pool_3x3
  case avg_pool_3x3
  case skip_connect
  case sep_conv_3x3
  case sep_conv_5x5
  case dil_conv_3x3
  case dil_conv_5x5

  /// The DARTS name, e.g. `sep_conv_3x3`.
  public var name: String { rawValue }

  /// A short label of at most 4 characters for narrow displays, e.g. `sep3`.
  public var label: String {
    switch self {
    case .none: "none"
    case .max_pool_3x3: "max3"
    case .avg_pool_3x3: "avg3"
    case .skip_connect: "skip"
    case .sep_conv_3x3: "sep3"
    case .sep_conv_5x5: "sep5"
    case .dil_conv_3x3: "dil3"
    case .dil_conv_5x5: "dil5"
    }
  }

  /// One letter: `-` none, `m` max pool, `a` average pool, `k` skip, `s`/`S` separable 3x3/5x5,
  /// `d`/`D` dilated 3x3/5x5.
  public var letter: Character {
    switch self {
    case .none: "-"
    case .max_pool_3x3: "m"
    case .avg_pool_3x3: "a"
    case .skip_connect: "k"
    case .sep_conv_3x3: "s"
    case .sep_conv_5x5: "S"
    case .dil_conv_3x3: "d"
    case .dil_conv_5x5: "D"
    }
  }

  /// What kind of operation the primitive is, for grouping in displays.
  public var family: PrimitiveFamily {
    switch self {
    case .none: .none
    case .max_pool_3x3, .avg_pool_3x3: .pooling
    case .skip_connect: .skip
    case .sep_conv_3x3, .sep_conv_5x5: .separableConvolution
    case .dil_conv_3x3, .dil_conv_5x5: .dilatedConvolution
    }
  }

  /// The legend of the one-letter codes: `- none  m max3  a avg3 ...`.
  public static var letterLegend: String {
    allCases.map { "\($0.letter) \($0.label)" }.joined(separator: "  ")
  }

  /// The primitive called `name`, or nil.
  public init?(name: String) {
    self.init(rawValue: name)
  }
}

/// Kinds of primitives.
public enum PrimitiveFamily: Sendable, Hashable {
  /// The zero operation.
  case none
  /// Max and average pooling.
  case pooling
  /// The identity (FactorizedReduce at stride 2).
  case skip
  /// Separable convolutions.
  case separableConvolution
  /// Dilated convolutions.
  case dilatedConvolution
}
