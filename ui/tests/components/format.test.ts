import { describe, expect, it } from 'vitest';
import { bytes, count, eta, fileName, folderOf, kindLabel, lineRange, modifiedAgo, place } from '../../src/format';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('format', () => {
  it('splits a path into file name and folder', () => {
    expect(fileName('/home/ann/docs/plan.md')).toBe('plan.md');
    expect(folderOf('/home/ann/docs/plan.md')).toBe('/home/ann/docs');
    expect(folderOf('/plan.md')).toBe('/');
    expect(fileName('/home/ann/docs/')).toBe('docs');
  });

  it('says how long ago a file changed, in words for recent times', () => {
    expect(modifiedAgo(NOW - 20_000, NOW)).toBe('just now');
    expect(modifiedAgo(NOW - 5 * 60_000, NOW)).toBe('5 min ago');
    expect(modifiedAgo(NOW - 3 * 3600_000, NOW)).toBe('3 h ago');
    expect(modifiedAgo(NOW - 30 * 3600_000, NOW)).toBe('yesterday');
    expect(modifiedAgo(Date.UTC(2024, 0, 5), NOW)).toMatch(/2024/);
  });

  it('cites documents by page, sheet or slide and plain files by lines', () => {
    expect(place({ line_start: 1, line_end: 4, section: 'page 3' })).toBe('page 3');
    expect(place({ line_start: 4, line_end: 6, section: null })).toBe('lines 4–6');
    expect(place({ line_start: 4, line_end: 4 })).toBe('line 4');
    expect(kindLabel('spreadsheet')).toBe('Spreadsheet');
  });

  it('rounds the time left to what a person reads', () => {
    expect(eta(null)).toBeNull();
    expect(eta(3)).toBe('almost done');
    expect(eta(42)).toBe('about 40 s left');
    expect(eta(185)).toBe('about 3 min left');
    expect(eta(2 * 3600 + 15 * 60)).toBe('about 2 h 15 min left');
    expect(eta(3600)).toBe('about 1 h left');
  });

  it('counts, sizes, kinds and line ranges', () => {
    expect(count(1, 'file')).toBe('1 file');
    expect(count(1200, 'file')).toBe('1,200 files');
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1500)).toBe('1.5 kB');
    expect(bytes(25_000_000)).toBe('25 MB');
    expect(bytes(300_000_000)).toBe('300 MB');
    expect(kindLabel('markdown')).toBe('Markdown');
    expect(kindLabel(null)).toBe('File');
    expect(lineRange(4, 4)).toBe('line 4');
    expect(lineRange(4, 9)).toBe('lines 4–9');
  });
});
