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
  /// The word used in files: `mu`, `weight_lr`, `arch_lr.<component>`.
  public var word: String {
    switch self {
    case .mu: "mu"
    case .weightLearningRate: "weight_lr"
    case .architectureMultiplier(let c): "arch_lr.\(c == .reduce ? ArchitectureComponent.normal.rawValue : c.rawValue)"
    }
  }

  /// The target named by `word`.
  public init?(word: String) {
    switch word {
    case "mu": self = .mu
    case "weight_lr": self = .weightLearningRate
    case "arch_lr.backbone": self = .architectureMultiplier(.normal)
    default:
      guard word.hasPrefix("arch_lr."), let c = ArchitectureComponent(rawValue: String(word.dropFirst(8))) else {
        return nil
      }
      self = .architectureMultiplier(c)
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
