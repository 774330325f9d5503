/// Which of DARTS' two op sets a layer belongs to (Liu et al. 2019; `operations.py` with `affine`):
/// - search: batch norm without affine parameters, and each pool followed by a batch norm (MixedOp);
/// - evaluation: affine batch norm everywhere, plain pools (NetworkCIFAR).
public enum OperationSet: Sendable, Equatable {
  case search
  case evaluation

  /// Whether batch norms have weight and bias.
  public var affine: Bool { self == .evaluation }
}
