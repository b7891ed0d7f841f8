/**
 * Cells of the exports staff open in Excel. Spreadsheet apps run a cell starting with = + - @ as a
 * formula, and user text (names, notes, reasons) ends up in these cells, so such a cell is
 * prefixed with ' and shown as text.
 */
export function defuseCell<T extends string | number>(value: T): T {
  return (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value) as T;
}

/** RFC 4180 CSV with CRLF line ends, every cell defused. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cell = (value: string | number) => {
    const safe = String(defuseCell(value));
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
