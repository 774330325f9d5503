/// The dashboard's panels; the raw value is the zoom key.
public enum PanelID: Int, Sendable, CaseIterable {
  case loss = 1
  case accuracy
  case alphas
  case schedules
  case genotype
  case classes

  /// The panel title (after its zoom number).
  public var title: String {
    switch self {
    case .loss: "loss"
    case .accuracy: "test accuracy"
    case .alphas: "alphas"
    case .schedules: "schedules"
    case .genotype: "genotype"
    case .classes: "classes"
    }
  }
}
