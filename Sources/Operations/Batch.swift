import Engine

/// Input images and labels of one step; the class-sampled batch is used by the two-head networks.
public struct Batch {
  public var input: Tensor
  public var targets: [Int]
  public var classInput: Tensor?
  public var classTargets: [Int]?

  public init(input: Tensor, targets: [Int], classInput: Tensor? = nil, classTargets: [Int]? = nil) {
    self.input = input
    self.targets = targets
    self.classInput = classInput
    self.classTargets = classTargets
  }
}
