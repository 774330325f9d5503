/// Markdown table cells: pipes escaped, line breaks flattened.
public enum MarkdownCell {
  public static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}
