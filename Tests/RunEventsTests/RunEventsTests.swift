import Architecture
import Foundation
import SyntheticRuns
import Testing

@testable import RunEvents

@Suite struct CurveTests {
  @Test func muSchedules() {
    let parabolic = Curve.parabolic(from: 1, to: 0)
    #expect(parabolic.value(progress: 0) == 1)
    #expect(abs(parabolic.value(progress: 0.5) - 0.75) < 1e-12)
    #expect(parabolic.value(progress: 1) == 0)
    let cosine = Curve.cosine(from: 1, to: 0)
    let linear = Curve.linear(from: 1, to: 0)
    for t in stride(from: 0.0, through: 1.0, by: 0.1) {
      // symmetric pairs: mu(t) + mu(T - t) = 1
      #expect(abs(cosine.value(progress: t) + cosine.value(progress: 1 - t) - 1) < 1e-12)
      #expect(abs(linear.value(progress: t) + linear.value(progress: 1 - t) - 1) < 1e-12)
      #expect(abs(cosine.value(progress: t) - (1 + cos(Double.pi * t)) / 2) < 1e-12)
    }
    #expect(Curve.constant(0.3).value(progress: 0.9) == 0.3)
    #expect(Curve.mu.value(progress: 0.2, mu: 0.7) == 0.7)
    #expect(abs(Curve.oneMinusMu.value(progress: 0.2, mu: 0.7) - 0.3) < 1e-12)
  }

  @Test func weightLearningRateIsCosineAnnealing() {
    let lr = Curve.cosine(from: 0.025, to: 0.001)
    #expect(abs(lr.value(progress: 0) - 0.025) < 1e-12)
    #expect(abs(lr.value(progress: 0.5) - 0.013) < 1e-12)
    #expect(abs(lr.value(progress: 1) - 0.001) < 1e-12)
  }

  @Test func hlsDefaultLearningRates() {
    let schedules = Schedules(
      weightLearningRate: .cosine(from: 0.025, to: 0.001), mu: .cosine(from: 1, to: 0), architectureLearningRate: 3e-4,
      multipliers: [.backbone: .mu, .instance: .mu, .class: .oneMinusMu])
    let v = schedules.values(epoch: 5, of: 20)
    let mu = (1 + cos(Double.pi * 0.25)) / 2
    #expect(abs(v.mu - mu) < 1e-12)
    #expect(abs(v.architectureLearningRates[.normal]! - 3e-4 * mu) < 1e-15)
    #expect(v.architectureLearningRates[.reduce] == v.architectureLearningRates[.normal])
    #expect(abs(v.architectureLearningRates[.instance]! - 3e-4 * mu) < 1e-15)
    #expect(abs(v.architectureLearningRates[.class]! - 3e-4 * (1 - mu)) < 1e-15)
    #expect(schedules.plan(epochs: 20).count == 20)
  }

  @Test func editsAreValidated() throws {
    var schedules = Schedules(
      weightLearningRate: .cosine(from: 0.025, to: 0.001), mu: .parabolic(from: 1, to: 0),
      architectureLearningRate: 3e-4, multipliers: [:])
    #expect(throws: CurveError.self) {
      try schedules.apply(ScheduleEdit(target: .mu, curve: .linear(from: 1.5, to: 0)))
    }
    #expect(throws: CurveError.self) { try schedules.apply(ScheduleEdit(target: .mu, curve: .mu)) }
    #expect(throws: CurveError.self) { try Curve(kind: .linear, parameters: [1]) }
    #expect(throws: CurveError.self) { try Curve(kind: .constant, parameters: [.nan]) }
    try schedules.apply(ScheduleEdit(target: .architectureMultiplier(.backbone), curve: .constant(2)))
    #expect(schedules.multiplier(.backbone) == .constant(2))
    #expect(schedules.values(epoch: 0, of: 1).architectureLearningRates[.reduce] == 6e-4)
    try schedules.apply(ScheduleEdit(target: .mu, curve: .constant(0.5)))
    #expect(schedules.mu == .constant(0.5))
    #expect(
      "\(CurveError.outOfRange(name: "mu", value: 1.5, range: 0...1))" == "mu value 1.5 is outside [0, 1]")
  }
}

@Suite struct EventTests {
  static let values = ScheduleValues(weightLearningRate: 0.02, mu: 0.5, architectureLearningRates: [.normal: 1e-4])

  /// One event of every kind, with every optional field set.
  static var everyKind: [RunEvent] {
    var run = SyntheticRun()
    run.finishedEpochs = 1
    run.stepsPerEpoch = 2
    let started = run.started(startEpoch: 1)
    return [
      .started(started),
      .step(
        StepReport(
          epoch: 1, step: 2, globalStep: 12, trainLoss: 2.3, validationLoss: 2.4, trainLossInstance: 2.1,
          trainLossClass: 2.7, values: Self.values, imagesPerSecond: 40)),
      .epoch(run.epochReport(0)),
      .control(
        ControlApplied(
          command: .edit(ScheduleEdit(target: .mu, curve: .constant(0.4))), epoch: 1, globalStep: 12, previous: .mu)),
      .control(ControlApplied(command: .pause, epoch: 1, globalStep: 13, reason: "loss is NaN")),
      .control(ControlApplied(command: .resume, epoch: 1, globalStep: 13)),
      .control(ControlApplied(command: .stop, epoch: 1, globalStep: 14)),
      .checkpoint(CheckpointWritten(epoch: 0, path: "checkpoints/epoch-001.safetensors")),
      .finished(RunFinished(epochs: 2, bestTestAccuracy: 0.5, bestEpoch: 1, stopped: true)),
      .failed(RunFailed(reason: "disk full")),
    ]
  }

  @Test func everyEventKindRoundTripsWhole() throws {
    for event in Self.everyKind {
      let line = try EventEnvelope(event: event, time: 10).jsonLine()
      #expect(!line.contains(UInt8(ascii: "\n")))
      let back = try EventEnvelope.decode(line: line)
      #expect(back.event == event)
      #expect(back.schema == eventSchemaVersion && back.time == 10)
    }
  }

  @Test func nonFiniteLossesRoundTripAsWords() throws {
    let step = StepReport(
      epoch: 0, step: 0, globalStep: 0, trainLoss: .nan, validationLoss: .infinity, values: Self.values,
      imagesPerSecond: 1)
    let line = try EventEnvelope(event: .step(step)).jsonLine()
    #expect(String(decoding: line, as: UTF8.self).contains(#""trainLoss":"nan""#))
    guard case .step(let back) = try EventEnvelope.decode(line: line).event else {
      Issue.record("not a step")
      return
    }
    #expect(back.trainLoss.isNaN && back.validationLoss == .infinity)
  }

  @Test func newerSchemaIsRejectedWithAClearMessage() throws {
    let line = try EventEnvelope(event: .failed(RunFailed(reason: "x")), schema: eventSchemaVersion + 1).jsonLine()
    #expect(throws: EventDecodingError.newerSchema(eventSchemaVersion + 1)) { try EventEnvelope.decode(line: line) }
  }

  @Test func channelDropsStaleStepsFirstAndNeverBlocks() {
    let channel = EventChannel(capacity: 4)
    let step = RunEvent.step(
      StepReport(
        epoch: 0, step: 0, globalStep: 0, trainLoss: 1, validationLoss: 1, values: Self.values, imagesPerSecond: 1))
    channel.emit(.failed(RunFailed(reason: "a")))
    for _ in 0..<10 { channel.emit(step) }
    channel.emit(.failed(RunFailed(reason: "b")))
    let drained = channel.drain()
    #expect(drained.count == 4)
    #expect(drained.first == .failed(RunFailed(reason: "a")))
    #expect(drained.last == .failed(RunFailed(reason: "b")))
    #expect(channel.droppedCount == 8)
    #expect(channel.drain().isEmpty)
  }

  @Test func controlQueueWakesAWaitingEngine() async {
    let queue = ControlQueue()
    let start = Date()
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: 0.05)
      queue.send(.resume)
    }
    let commands = queue.wait(timeout: 5)
    #expect(commands == [.resume])
    #expect(Date().timeIntervalSince(start) < 4)
    #expect(queue.wait(timeout: 0.01).isEmpty)
  }
}

@Suite struct WireFormatTests {
  @Test func eventsAreTypedObjectsWithReadableSchedules() throws {
    let edit = ScheduleEdit(target: .architectureMultiplier(.class), curve: .cosine(from: 1, to: 0))
    let event = RunEvent.control(ControlApplied(command: .edit(edit), epoch: 2, globalStep: 40, previous: .oneMinusMu))
    let line = String(decoding: try EventEnvelope(event: event, time: 5).jsonLine(), as: UTF8.self)
    #expect(
      line
        == #"{"event":{"data":{"command":{"edit":{"curve":"cosine 1 0","target":"arch_lr.class"},"type":"edit"},"#
        + #""epoch":2,"globalStep":40,"previous":"one-minus-mu"},"type":"control"},"schema":1,"time":5}"#)
    #expect(try EventEnvelope.decode(line: Data(line.utf8)).event == event)
  }

  @Test func everyTargetHasAWord() {
    let targets: [ScheduleTarget] = [
      .mu, .weightLearningRate, .architectureMultiplier(.backbone), .architectureMultiplier(.instance),
      .architectureMultiplier(.class),
    ]
    for target in targets { #expect(ScheduleTarget(word: target.word) == target) }
    // Words written before parts had names.
    #expect(ScheduleTarget(word: "arch_lr.normal") == .architectureMultiplier(.backbone))
    #expect(ScheduleTarget(word: "arch_lr.reduce") == .architectureMultiplier(.backbone))
    #expect(ScheduleTarget(word: "nope") == nil)
  }

  @Test func aBadScheduleInAFileIsADecodingError() {
    let json =
      #"{"schema":1,"time":1,"event":{"type":"control","data":{"command":{"type":"edit","edit":{"target":"mu","curve":"wiggle 3"}},"epoch":0,"globalStep":0}}}"#
    #expect(throws: DecodingError.self) { try EventEnvelope.decode(line: Data(json.utf8)) }
  }
}

@Suite struct SchedulesCodingTests {
  @Test func schedulesWrittenWithPerComponentMultipliersReadAsParts() throws {
    let old = #"""
      {"architectureLearningRate":0.0003,"architectureMultipliers":{"class":"one-minus-mu","instance":"mu",\#
      "normal":"mu","reduce":"mu"},"mu":"cosine 1 0","weightLearningRate":"cosine 0.025 0.001"}
      """#
    let s = try JSONDecoder().decode(Schedules.self, from: Data(old.utf8))
    #expect(s.multipliers == [.backbone: .mu, .instance: .mu, .class: .oneMinusMu])
    let again = try JSONDecoder().decode(Schedules.self, from: JSONEncoder().encode(s))
    #expect(again == s)
  }
}
