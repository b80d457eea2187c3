// Pure formatting of what the engine returns, for people to read.

export function fileName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}

export function folderOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/// "just now", "5 min ago", "3 h ago", "yesterday", then the date.
export function modifiedAgo(ms: number, now: number): string {
  const age = now - ms;
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  if (age < 2 * DAY) return 'yesterday';
  const date = new Date(ms);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' });
}

/// "about 40 s left", "about 3 min left", "about 2 h left".
export function eta(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 5) return 'almost done';
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return minutes ? `about ${hours} h ${minutes} min left` : `about ${hours} h left`;
}

/// Sizes in powers of 1000, as file managers show them and as search
/// filters ("bigger than 10 MB") read them.
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function count(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

const KIND_LABELS: Record<string, string> = {
  text: 'Text',
  markdown: 'Markdown',
  code: 'Code',
  html: 'HTML',
  data: 'Data',
  pdf: 'PDF',
  document: 'Document',
  spreadsheet: 'Spreadsheet',
  presentation: 'Presentation',
  email: 'E-mail',
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  archive: 'Archive',
};

export function kindLabel(kind: string | null): string {
  return kind ? (KIND_LABELS[kind] ?? kind) : 'File';
}

/// Lines 4–6, or line 4.
export function lineRange(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}–${end}`;
}

/// Where in its file a passage is: the page, sheet or slide of a document,
/// or the lines of a plain file.
export function place(at: { line_start: number; line_end: number; section?: string | null }): string {
  return at.section ?? lineRange(at.line_start, at.line_end);
}
