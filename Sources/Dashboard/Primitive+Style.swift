import Architecture

extension Primitive {
  /// The colour of the primitive in the winner grid: pools, skip, separable and dilated convolutions apart.
  var cellStyle: CellStyle {
    switch family {
    case .none: CellStyle(.muted)
    case .pooling: CellStyle(.medium)
    case .skip: CellStyle(.warning, .bold)
    case .separableConvolution: CellStyle(.train)
    case .dilatedConvolution: CellStyle(.instance)
    }
  }
}
