import Architecture
import Engine

extension Primitive {
  /// The layer of this primitive on `channels` channels at `stride`, as DARTS' `OPS` builds it for `set`;
  /// nil for `none`, which contributes zero (the search skips it; a trained cell cannot use it).
  public func makeLayer(channels c: Int, stride: Int, set: OperationSet, initializer: inout WeightInitializer)
    -> Layer?
  {
    let affine = set.affine
    switch self {
    case .none: return nil
    case .max_pool_3x3: return Pool(channels: c, stride: stride, isMax: true, set: set)
    case .avg_pool_3x3: return Pool(channels: c, stride: stride, isMax: false, set: set)
    case .skip_connect:
      return stride == 1
        ? Identity()
        : FactorizedReduce(inputChannels: c, outputChannels: c, affine: affine, initializer: &initializer)
    case .sep_conv_3x3:
      return SepConv(channels: c, kernel: 3, stride: stride, padding: 1, affine: affine, initializer: &initializer)
    case .sep_conv_5x5:
      return SepConv(channels: c, kernel: 5, stride: stride, padding: 2, affine: affine, initializer: &initializer)
    case .dil_conv_3x3:
      return DilConv(
        channels: c, kernel: 3, stride: stride, padding: 2, dilation: 2, affine: affine, initializer: &initializer)
    case .dil_conv_5x5:
      return DilConv(
        channels: c, kernel: 5, stride: stride, padding: 4, dilation: 2, affine: affine, initializer: &initializer)
    }
  }
}
