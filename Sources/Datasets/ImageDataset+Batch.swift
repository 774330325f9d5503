extension ImageDataset {
  /// Writes the images `indices` as normalised, optionally augmented `Float`s into `destination`, NCHW:
  /// image `b` of the batch occupies `destination[b * imageSize ..< (b + 1) * imageSize]`.
  ///
  /// Nothing is allocated per image, so the engine can fill a pooled tensor directly. For each image,
  /// in batch order, the generator is consulted for: crop offsets (row, then column) when
  /// `augmentation.cropPadding > 0`, the flip coin when `augmentation.horizontalFlip`, and the cutout
  /// centre (row, then column) when `augmentation.cutoutLength > 0`. With ``Augmentation/none`` the
  /// generator is not used at all.
  ///
  /// - Parameters:
  ///   - indices: image indices into this data set.
  ///   - destination: room for at least `indices.count * imageSize` floats.
  ///   - augmentation: what to apply; pass ``Augmentation/none`` for evaluation.
  ///   - generator: the source of randomness for the augmentation.
  public func fillBatch(
    indices: [Int], into destination: UnsafeMutablePointer<Float>, augmentation: Augmentation,
    generator: inout some RandomNumberGenerator
  ) {
    let planeSize = height * width
    let imageSize = self.imageSize
    pixels.withUnsafeBufferPointer { source in
      normalizedValues.withUnsafeBufferPointer { table in
        for (slot, index) in indices.enumerated() {
          // Once an image, in the batch loop: a precondition (gone under -Ounchecked), not `require`.
          precondition(index >= 0 && index < count, "image index \(index) out of range 0..<\(count)")
          let input = source.baseAddress! + index * imageSize
          let output = destination + slot * imageSize
          var rowShift = 0
          var columnShift = 0
          if augmentation.cropPadding > 0 {
            let span = 2 * augmentation.cropPadding + 1
            rowShift = generator.uniformIndex(below: span) - augmentation.cropPadding
            columnShift = generator.uniformIndex(below: span) - augmentation.cropPadding
          }
          let flip = augmentation.horizontalFlip && (generator.next() >> 63) == 1
          if rowShift == 0 && columnShift == 0 && !flip {
            for channel in 0..<channels {
              let values = table.baseAddress! + channel * 256
              let plane = channel * planeSize
              for offset in 0..<planeSize {
                output[plane + offset] = values[Int(input[plane + offset])]
              }
            }
          } else {
            writeShifted(
              input: input, output: output, rowShift: rowShift, columnShift: columnShift, flip: flip,
              table: table.baseAddress!)
          }
          if augmentation.cutoutLength > 0 {
            applyCutout(
              to: output, length: augmentation.cutoutLength,
              centerRow: generator.uniformIndex(below: height),
              centerColumn: generator.uniformIndex(below: width))
          }
        }
      }
    }
  }

  /// Writes the images `indices` normalised and without augmentation (evaluation batches).
  public func fillBatch(indices: [Int], into destination: UnsafeMutablePointer<Float>) {
    var unused = SplitMix64(seed: 0)
    fillBatch(indices: indices, into: destination, augmentation: .none, generator: &unused)
  }

  /// Returns the normalised, unaugmented images `indices` as a new array (tests and small tools; the
  /// training loop should use the pointer form).
  public func batch(indices: [Int]) -> [Float] {
    var result = [Float](repeating: 0, count: indices.count * imageSize)
    result.withUnsafeMutableBufferPointer { buffer in
      fillBatch(indices: indices, into: buffer.baseAddress!)
    }
    return result
  }

  /// Output pixel `(y, x)` takes input pixel `(y + rowShift, sx + columnShift)` with `sx = x`, or
  /// `width - 1 - x` when flipping; positions outside the image read raw 0 (the zero padding).
  private func writeShifted(
    input: UnsafePointer<UInt8>, output: UnsafeMutablePointer<Float>, rowShift: Int, columnShift: Int,
    flip: Bool, table: UnsafePointer<Float>
  ) {
    let planeSize = height * width
    for channel in 0..<channels {
      let values = table + channel * 256
      let b = values[0]
      let inPlane = input + channel * planeSize
      let outPlane = output + channel * planeSize
      for y in 0..<height {
        let outRow = outPlane + y * width
        let sourceRow = y + rowShift
        guard sourceRow >= 0 && sourceRow < height else {
          outRow.update(repeating: b, count: width)
          continue
        }
        let inRow = inPlane + sourceRow * width
        for x in 0..<width {
          let sourceColumn = (flip ? width - 1 - x : x) + columnShift
          if sourceColumn >= 0 && sourceColumn < width {
            outRow[x] = values[Int(inRow[sourceColumn])]
          } else {
            outRow[x] = b
          }
        }
      }
    }
  }

  /// Zeroes (in normalised space) the square of side `length` centred at the given pixel, clipped to
  /// the image, in every channel, like the DARTS `Cutout` transform.
  private func applyCutout(
    to output: UnsafeMutablePointer<Float>, length: Int, centerRow: Int, centerColumn: Int
  ) {
    let half = length / 2
    let top = max(0, centerRow - half)
    let bottom = min(height, centerRow + half)
    let left = max(0, centerColumn - half)
    let right = min(width, centerColumn + half)
    guard top < bottom && left < right else { return }
    let planeSize = height * width
    for channel in 0..<channels {
      for y in top..<bottom {
        (output + channel * planeSize + y * width + left).update(repeating: 0, count: right - left)
      }
    }
  }
}
