import Architecture

/// The JSON form of events, for `events.jsonl` readers in any language: every event is an object with a
/// `type` (`started`, `step`, `epoch`, `control`, `checkpoint`, `finished`, `failed`) and its fields under
/// `data`; commands carry a `type` too; curves are their text form (`"cosine 1 0"`); schedule targets are
/// words (`mu`, `weight_lr`, `arch_lr.backbone`, `arch_lr.instance`, `arch_lr.class`).
extension RunEvent {
  enum CodingKeys: String, CodingKey {
    case type
    case data
  }

  enum Kind: String, Codable {
    case started, step, epoch, control, checkpoint, finished, failed
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    switch try c.decode(Kind.self, forKey: .type) {
    case .started: self = .started(try c.decode(RunStarted.self, forKey: .data))
    case .step: self = .step(try c.decode(StepReport.self, forKey: .data))
    case .epoch: self = .epoch(try c.decode(EpochReport.self, forKey: .data))
    case .control: self = .control(try c.decode(ControlApplied.self, forKey: .data))
    case .checkpoint: self = .checkpoint(try c.decode(CheckpointWritten.self, forKey: .data))
    case .finished: self = .finished(try c.decode(RunFinished.self, forKey: .data))
    case .failed: self = .failed(try c.decode(RunFailed.self, forKey: .data))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .started(let v):
      try c.encode(Kind.started, forKey: .type)
      try c.encode(v, forKey: .data)
    case .step(let v):
      try c.encode(Kind.step, forKey: .type)
      try c.encode(v, forKey: .data)
    case .epoch(let v):
      try c.encode(Kind.epoch, forKey: .type)
      try c.encode(v, forKey: .data)
    case .control(let v):
      try c.encode(Kind.control, forKey: .type)
      try c.encode(v, forKey: .data)
    case .checkpoint(let v):
      try c.encode(Kind.checkpoint, forKey: .type)
      try c.encode(v, forKey: .data)
    case .finished(let v):
      try c.encode(Kind.finished, forKey: .type)
      try c.encode(v, forKey: .data)
    case .failed(let v):
      try c.encode(Kind.failed, forKey: .type)
      try c.encode(v, forKey: .data)
    }
  }
}

extension ControlCommand {
  enum CodingKeys: String, CodingKey {
    case type
    case edit
  }

  enum Kind: String, Codable {
    case pause, resume, stop, edit
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    switch try c.decode(Kind.self, forKey: .type) {
    case .pause: self = .pause
    case .resume: self = .resume
    case .stop: self = .stop
    case .edit: self = .edit(try c.decode(ScheduleEdit.self, forKey: .edit))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .pause: try c.encode(Kind.pause, forKey: .type)
    case .resume: try c.encode(Kind.resume, forKey: .type)
    case .stop: try c.encode(Kind.stop, forKey: .type)
    case .edit(let edit):
      try c.encode(Kind.edit, forKey: .type)
      try c.encode(edit, forKey: .edit)
    }
  }
}

extension Curve {
  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do {
      try self.init(text: text)
    } catch {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "schedule '\(text)': \(error)"))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(text)
  }
}

extension ScheduleTarget {
  /// The word used in files: `mu`, `weight_lr`, `arch_lr.<part>`.
  public var word: String {
    switch self {
    case .mu: "mu"
    case .weightLearningRate: "weight_lr"
    case .architectureMultiplier(let part): "arch_lr.\(part.rawValue)"
    case .dropPath: "drop_path"
    }
  }

  /// The target named by `word`; `arch_lr.normal` and `arch_lr.reduce` (written by tailnas before parts had
  /// names) mean the backbone.
  public init?(word: String) {
    switch word {
    case "mu": self = .mu
    case "weight_lr": self = .weightLearningRate
    case "drop_path": self = .dropPath
    default:
      guard word.hasPrefix("arch_lr.") else { return nil }
      let name = String(word.dropFirst(8))
      if let part = ArchitecturePart(rawValue: name) {
        self = .architectureMultiplier(part)
      } else if let component = ArchitectureComponent(rawValue: name) {
        self = .architectureMultiplier(component.part)
      } else {
        return nil
      }
    }
  }

  public init(from decoder: Decoder) throws {
    let word = try decoder.singleValueContainer().decode(String.self)
    guard let target = ScheduleTarget(word: word) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown schedule target '\(word)'"))
    }
    self = target
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(word)
  }
}

/// The JSON form of schedules: `{"weightLearningRate": "cosine 0.025 0.001", "mu": "cosine 1 0",
/// "architectureLearningRate": 0.0003, "multipliers": {"backbone": "mu", ...}}`. Files written before parts
/// had names keep per-component multipliers under `architectureMultipliers` (`normal` and `reduce` equal);
/// they read as the backbone's.
extension Schedules: Codable {
  enum CodingKeys: String, CodingKey {
    case weightLearningRate, mu, architectureLearningRate, multipliers, architectureMultipliers, dropPath
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    weightLearningRate = try c.decode(Curve.self, forKey: .weightLearningRate)
    mu = try c.decode(Curve.self, forKey: .mu)
    architectureLearningRate = try c.decode(Double.self, forKey: .architectureLearningRate)
    dropPath = try c.decodeIfPresent(Curve.self, forKey: .dropPath)
    if let parts = try c.decodeIfPresent([ArchitecturePart: Curve].self, forKey: .multipliers) {
      multipliers = parts
    } else {
      let components = try c.decodeIfPresent([ArchitectureComponent: Curve].self, forKey: .architectureMultipliers)
      multipliers = [:]
      for (component, curve) in components ?? [:] where multipliers[component.part] == nil || component == .normal {
        multipliers[component.part] = curve
      }
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(weightLearningRate, forKey: .weightLearningRate)
    try c.encode(mu, forKey: .mu)
    try c.encode(architectureLearningRate, forKey: .architectureLearningRate)
    try c.encode(multipliers, forKey: .multipliers)
    try c.encodeIfPresent(dropPath, forKey: .dropPath)
  }
}
