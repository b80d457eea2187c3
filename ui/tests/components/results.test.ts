import { describe, expect, it, vi } from 'vitest';
import { ResultList } from '../../src/results';
import { hit, NOW } from './helpers';

function list() {
  const onOpen = vi.fn();
  const onReveal = vi.fn();
  const onAsk = vi.fn();
  const results = new ResultList({ onOpen, onReveal, onAsk, now: () => NOW });
  document.body.appendChild(results.element);
  return { results, onOpen, onReveal, onAsk };
}

describe('ResultList', () => {
  it('shows each file with its name, kind, folder, date and snippet', () => {
    const { results } = list();
    results.show([hit('/docs/q3/report.md', 'Revenue grew 12%', 'markdown')]);
    const row = results.element.querySelector('.result')!;
    expect(row.querySelector('.result-name')!.textContent).toBe('report.md');
    expect(row.querySelector('.badge')!.textContent).toBe('Markdown');
    expect(row.querySelector('.result-folder')!.textContent).toBe('/docs/q3');
    expect(row.querySelector('.result-date')!.textContent).toBe('3 h ago');
    expect(row.querySelector('.snippet')!.textContent).toBe('Revenue grew 12%');
  });

  it('renders file contents as text, never as HTML', () => {
    const { results } = list();
    const evil = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    results.show([hit('/docs/<b>bold<i>.html', evil, 'html')]);
    expect(results.element.querySelector('img, script, b, i')).toBeNull();
    expect(results.element.querySelector('.snippet')!.textContent).toBe(evil);
    expect(results.element.querySelector('.result-name')!.textContent).toBe('<b>bold<i>.html');
  });

  it('moves the selection with the arrow keys and stays within the list', () => {
    const { results } = list();
    results.show([hit('/a.txt'), hit('/b.txt'), hit('/c.txt')]);
    expect(results.selectedHit!.path).toBe('/a.txt');
    for (const k of ['ArrowDown', 'ArrowDown', 'ArrowDown']) results.handleKey(new KeyboardEvent('keydown', { key: k }));
    expect(results.selectedHit!.path).toBe('/c.txt');
    results.handleKey(new KeyboardEvent('keydown', { key: 'ArrowUp' }));
    expect(results.selectedHit!.path).toBe('/b.txt');
    const selected = results.element.querySelectorAll('[aria-selected="true"]');
    expect(selected).toHaveLength(1);
    expect((selected[0] as HTMLElement).dataset.path).toBe('/b.txt');
  });

  it('opens the selected file on Enter and shows it in its folder on Ctrl+Enter', () => {
    const { results, onOpen, onReveal } = list();
    results.show([hit('/a.txt'), hit('/b.txt')]);
    results.move(1);
    expect(results.handleKey(new KeyboardEvent('keydown', { key: 'Enter' }))).toBe(true);
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ path: '/b.txt' }));
    results.handleKey(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }));
    expect(onReveal).toHaveBeenCalledWith(expect.objectContaining({ path: '/b.txt' }));
  });

  it('asks about the selected file on Alt+A, and leaves a plain A to the box', () => {
    const { results, onAsk } = list();
    results.show([hit('/a.txt'), hit('/b.txt')]);
    expect(results.handleKey(new KeyboardEvent('keydown', { key: 'a' }))).toBe(false);
    expect(onAsk).not.toHaveBeenCalled();
    expect(results.handleKey(new KeyboardEvent('keydown', { key: 'a', altKey: true }))).toBe(true);
    expect(onAsk).toHaveBeenCalledWith(expect.objectContaining({ path: '/a.txt' }));
  });

  it('opens a file on click', () => {
    const { results, onOpen } = list();
    results.show([hit('/a.txt'), hit('/b.txt')]);
    (results.element.querySelectorAll('.result')[1] as HTMLElement).click();
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ path: '/b.txt' }));
    expect(results.selectedHit!.path).toBe('/b.txt');
  });

  it('ignores Enter when there is nothing to open', () => {
    const { results, onOpen } = list();
    results.show([]);
    expect(results.handleKey(new KeyboardEvent('keydown', { key: 'Enter' }))).toBe(false);
    expect(onOpen).not.toHaveBeenCalled();
  });
});
