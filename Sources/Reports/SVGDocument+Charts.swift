import Foundation

extension SVGDocument {
  /// A document of `charts` one above the other, each `width` x `panelHeight`, starting at `chartsTop`, under
  /// a bold `title` and a grey `subtitle` (the run figures' and the study figures' layout).
  public static func stacked(
    _ charts: [SVGChart], title: String, subtitle: String, width: Double, panelHeight: Double, chartsTop: Double
  ) -> SVGDocument {
    var document = SVGDocument(width: width, height: chartsTop + Double(charts.count) * panelHeight, title: title)
    document.append(.text(title, x: 16, y: 22, size: 15, weight: "bold"))
    document.append(.text(subtitle, x: 16, y: 40, size: 11, fill: "#555555"))
    for (index, chart) in charts.enumerated() {
      document.append(
        contentsOf: chart.elements(
          x: 0, y: chartsTop + Double(index) * panelHeight, width: width, height: panelHeight))
    }
    return document
  }
}
