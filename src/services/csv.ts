/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab or CR first, after any apostrophes) gets one
 * more apostrophe in front, which spreadsheets show as text and parseCsv takes off again.
 */
const FORMULA = /^'*[=+\-@\t\r]/;

/** A field as RFC 4180 wants it: quoted when it holds a comma, a quote or a line break, quotes doubled. */
function field(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV file spreadsheets open as written: UTF-8 with a byte-order mark (so non-ASCII names survive Excel),
 * CRLF line ends, a header row.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  const lines = [header, ...rows].map((row) => row.map((v) => field(v as string)).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Reads back what toCsv writes (and any RFC 4180 file): rows of strings, the header first. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  const unguarded = (v: string) => (v.startsWith("'") && FORMULA.test(v) ? v.slice(1) : v);
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(unguarded(value));
      value = '';
    } else if (c === '\r' && input[i + 1] === '\n') {
      row.push(unguarded(value));
      rows.push(row);
      row = [];
      value = '';
      i++;
    } else value += c;
  }
  if (value !== '' || row.length > 0) {
    row.push(unguarded(value));
    rows.push(row);
  }
  return rows;
}
