/** Quotes a CSV cell when it holds the separator, a quote or a line break. */
function cell(value: unknown): string {
  const s = value == null ? "" : String(value);
  return /[";\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Writes rows as CSV the way French spreadsheets open it: `;` separators,
 * CRLF line ends, and a byte-order mark so that accents survive.
 */
export function toCsv(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [headers, ...rows].map((r) => r.map(cell).join(";"));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Makes the browser download `content` as a CSV file named `filename`. */
export function downloadCsv(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
