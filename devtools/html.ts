// The overlay's small HTML vocabulary. Everything shown passes through `escape` or `preview`;
// values are formatted only here, when a panel is drawn, never while recording.

export const escape = (text: unknown): string => String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export const time = (at: number): string => new Date(at).toISOString().slice(11, 23);

/** A short, safe preview of any value (cycles and BigInts included). */
export function preview(value: unknown, max = 160): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return escape(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** A table, or "nothing yet" (`empty`) when there are no rows. Cells are HTML, already escaped. */
export function table(head: string[], rows: string[][], empty = 'nothing yet'): string {
  if (rows.length === 0) return `<p class="muted">${escape(empty)}</p>`;
  return `<table><thead><tr>${head.map((cell) => `<th>${cell}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
