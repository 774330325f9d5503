import Engine

/// The identity (`skip_connect` at stride 1). Drop path never applies to it.
public final class Identity: Layer {
  public init() {}
  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor { x }
  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {}
}
