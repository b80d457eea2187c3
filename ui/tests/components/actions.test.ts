import { describe, expect, it } from 'vitest';
import { Hub } from '../../src/hub';
import { api } from '../../src/ipc';
import { quickAsk } from '../../src/quick-ask';
import { Shell } from '../../src/shell';
import { views } from '../../src/views';
import { fakeBackend, found, hit, key, NOW, settle } from './helpers';

const MOVE = {
  plan: {
    id: 'p1',
    request: 'move the drafts into Archive',
    actions: [
      { type: 'move', from: '/home/ann/draft-1.txt', to: '/home/ann/Archive/draft-1.txt' },
      { type: 'move', from: '/home/ann/draft-2.txt', to: '/home/ann/Archive/draft-2.txt' },
    ],
  },
  effects: [
    { verb: 'Move', detail: '/home/ann/draft-1.txt → /home/ann/Archive/draft-1.txt' },
    { verb: 'Move', detail: '/home/ann/draft-2.txt → /home/ann/Archive/draft-2.txt', conflict: '/home/ann/Archive/draft-2.txt already exists; it stays as it is and this is skipped' },
  ],
  token: 'secret-token',
  changes: 2,
  conflicts: 1,
  confirm_twice: false,
  read_by: 'rules',
  notes: [],
};

const DONE = {
  plan_id: 'p1',
  done: [{ entry: 'p1.1', effect: MOVE.effects[0], undoable: true }],
  failed: [{ effect: MOVE.effects[1], reason: 'already exists' }],
};

const ITEMS = [
  { id: 'p1.1', plan_id: 'p1', request: 'move the drafts into Archive', effect: MOVE.effects[0], applied_ms: NOW - 60_000, undone: false },
  { id: 'p0.1', plan_id: 'p0', request: 'open the web browser', effect: { verb: 'Start', detail: 'Chromium: /usr/bin/chromium' }, applied_ms: NOW - 3_600_000, undone: false, cannot_undo: 'a started program keeps running; close it yourself' },
];

function mountActivity() {
  const hub = new Hub();
  hub.setEngine({ state: 'ready' });
  const shell = new Shell(views, { api, hub, now: () => NOW });
  document.body.appendChild(shell.element);
  shell.show('activity');
  const $ = (s: string) => shell.element.querySelector(`[data-view-panel="activity"] ${s}`) as HTMLElement | null;
  return { shell, $, input: $('.action-box') as HTMLInputElement };
}

describe('activity view', () => {
  it('shows every effect and its conflict, runs nothing on Cancel, and runs the plan with its token on yes', async () => {
    let items: unknown[] = [];
    const backend = fakeBackend({
      activity: () => items,
      propose_action: () => MOVE,
      cancel_action: () => null,
      execute_action: () => {
        items = ITEMS;
        return DONE;
      },
    });
    const { $, input } = mountActivity();
    await settle();
    expect($('.empty-state')!.textContent).toContain('Nothing done yet');

    input.value = 'move the drafts into Archive';
    key(input, 'Enter');
    await settle();
    const dialog = $('[role="dialog"]')!;
    expect(dialog.textContent).toContain('You asked: move the drafts into Archive');
    const effects = Array.from(dialog.querySelectorAll('.effect')).map((e) => e.textContent);
    expect(effects[0]).toBe('Move /home/ann/draft-1.txt → /home/ann/Archive/draft-1.txt');
    expect(effects[1]).toContain('already exists');
    expect(dialog.querySelector('.confirm-summary')!.textContent).toBe('2 actions · 2 file changes · 1 conflict (skipped)');
    expect(document.activeElement).toBe(dialog.querySelector('.confirm-cancel'));

    key(dialog, 'Escape');
    await settle();
    expect($('[role="dialog"]')).toBeNull();
    expect(backend.calls.map((c) => c.cmd)).not.toContain('execute_action');
    expect(backend.calls.find((c) => c.cmd === 'cancel_action')!.args).toEqual({ planId: 'p1' });
    expect($('.status-line')!.textContent).toBe('Cancelled: nothing was changed.');

    key(input, 'Enter');
    await settle();
    ($('.confirm-yes') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'execute_action')!.args).toEqual({ planId: 'p1', token: 'secret-token', confirmedTwice: false });
    expect($('.status-line')!.textContent).toContain('Done: 1 action.');
    expect($('.status-line')!.textContent).toContain('already exists');
    expect($('[data-plan="p1"]')!.textContent).toContain('Undo');
    expect($('[data-plan="p0"]')!.textContent).toContain('cannot be undone');
    expect($('[data-plan="p0"] .undo-plan')).toBeNull();
  });

  it('asks a second time before a big batch', async () => {
    const big = { ...MOVE, changes: 14, confirm_twice: true };
    const backend = fakeBackend({ activity: () => [], propose_action: () => big, execute_action: () => ({ ...DONE, failed: [] }) });
    const { $, input } = mountActivity();
    input.value = 'trash the scans';
    key(input, 'Enter');
    await settle();
    ($('.confirm-yes') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.map((c) => c.cmd)).not.toContain('execute_action');
    expect($('.confirm-second')!.textContent).toBe('This changes 14 files. Are you sure?');
    expect($('.confirm-yes')!.textContent).toBe('Yes, change 14 files');
    ($('.confirm-yes') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'execute_action')!.args).toEqual({ planId: 'p1', token: 'secret-token', confirmedTwice: true });
  });

  it('offers the other files the words fit, and plans for the one chosen instead', async () => {
    const open = (path: string, id: string) => ({
      ...MOVE,
      plan: { id, request: 'open the case study', actions: [{ type: 'open', path }] },
      effects: [{ verb: 'Open', detail: path }],
      changes: 0,
      conflicts: 0,
      instead: id === 'p1' ? [{ phrase: 'the case study', path: '/home/ann/case study draft v2.docx' }] : undefined,
    });
    const backend = fakeBackend({
      activity: () => [],
      cancel_action: () => null,
      propose_action: (args) => {
        const meant = (args.meant ?? []) as { path: string }[];
        return meant.length ? open(meant[0].path, 'p2') : open('/home/ann/case study draft v3.docx', 'p1');
      },
      execute_action: () => ({ plan_id: 'p2', done: [], failed: [] }),
    });
    const { $, input } = mountActivity();
    input.value = 'open the case study';
    key(input, 'Enter');
    await settle();
    expect($('.effect')!.textContent).toBe('Open /home/ann/case study draft v3.docx');
    const other = $('.confirm-instead button') as HTMLButtonElement;
    expect($('.confirm-instead')!.textContent).toContain('Or did you mean:');
    expect(other.textContent).toBe('/home/ann/case study draft v2.docx');

    other.click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'cancel_action')!.args).toEqual({ planId: 'p1' });
    const again = backend.calls.filter((c) => c.cmd === 'propose_action')[1];
    expect(again.args).toEqual({
      request: 'open the case study',
      selection: [],
      meant: [{ phrase: 'the case study', path: '/home/ann/case study draft v2.docx' }],
    });
    expect($('.effect')!.textContent).toBe('Open /home/ann/case study draft v2.docx');
    expect($('.confirm-instead')).toBeNull();
    ($('.confirm-yes') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'execute_action')!.args).toMatchObject({ planId: 'p2' });
  });

  it('undoes a whole request and says why a refused request was refused', async () => {
    const backend = fakeBackend({
      activity: () => ITEMS,
      undo_action: () => [ITEMS[0]],
      propose_action: () => {
        throw '/etc/x is a system location; Nook does not change anything there';
      },
    });
    const { $, input } = mountActivity();
    await settle();
    ($('[data-plan="p1"] .undo-plan') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'undo_action')!.args).toEqual({ id: 'p1' });
    expect($('.status-line')!.textContent).toBe('Undone: 1 action.');
    input.value = 'move notes.txt to /etc';
    key(input, 'Enter');
    await settle();
    expect($('.status-line')!.textContent).toContain('system location');
    expect($('.status-line')!.className).toContain('error');
  });
});

describe('acting on search results', () => {
  it('hands the results of a search to Activity, where “these” means them', async () => {
    const backend = fakeBackend({
      app_status: () => ({ engine: { state: 'ready' }, version: '0.1.0', folders: 1, activity: null }),
      search: () => found([hit('/home/ann/r/q1.pdf'), hit('/home/ann/r/q2.pdf')]),
      activity: () => [],
      propose_action: () => MOVE,
      cancel_action: () => null,
    });
    const hub = new Hub();
    hub.setEngine({ state: 'ready' });
    const shell = new Shell(views, { api, hub, now: () => NOW });
    document.body.appendChild(shell.element);
    shell.show('search');
    const box = shell.element.querySelector('.search-box') as HTMLInputElement;
    box.value = 'reports from this quarter';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(200);
    const actOn = shell.element.querySelector('.act-on') as HTMLButtonElement;
    expect(actOn.hidden).toBe(false);
    expect(actOn.textContent).toBe('Act on these 2 files…');
    actOn.click();
    await settle();
    expect(shell.currentView).toBe('activity');
    const line = shell.element.querySelector('.selection-line') as HTMLElement;
    expect(line.hidden).toBe(false);
    expect(line.textContent).toContain('2 files from the search “r” are selected');
    const input = shell.element.querySelector('.action-box') as HTMLInputElement;
    input.value = 'rename these to 2025-Q3-…';
    key(input, 'Enter');
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'propose_action')!.args).toEqual({
      request: 'rename these to 2025-Q3-…',
      selection: ['/home/ann/r/q1.pdf', '/home/ann/r/q2.pdf'],
      meant: [],
    });
    (line.querySelector('button') as HTMLButtonElement).click();
    expect(line.hidden).toBe(true);
  });
});

describe('quick-ask', () => {
  it('shows the plan in the box and runs it only on yes', async () => {
    const backend = fakeBackend({ search: () => ({ plan: {}, chips: [], hits: [], notes: [] }), propose_action: () => MOVE, execute_action: () => DONE, hide_quick_ask: () => null, route: () => ({ route: 'act', why: 'asks to move files' }) });
    const root = document.createElement('div');
    document.body.appendChild(root);
    quickAsk(root, api, () => NOW);
    const input = root.querySelector('input') as HTMLInputElement;
    input.value = 'move the drafts into Archive';
    key(input, 'Enter');
    await settle();
    expect(root.querySelector('[role="dialog"]')!.textContent).toContain('/home/ann/Archive/draft-1.txt');
    expect(backend.calls.map((c) => c.cmd)).not.toContain('execute_action');
    // Escape cancels the plan, not the box.
    backend.on('cancel_action', () => null);
    key(root.querySelector('.confirm-cancel')!, 'Escape');
    await settle();
    expect(backend.calls.map((c) => c.cmd)).toContain('cancel_action');
    expect(backend.calls.map((c) => c.cmd)).not.toContain('hide_quick_ask');
    expect(root.querySelector('.quick-status')!.textContent).toBe('Cancelled: nothing was changed.');

    key(input, 'Enter');
    await settle();
    (root.querySelector('.confirm-yes') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'execute_action')!.args).toMatchObject({ planId: 'p1', token: 'secret-token' });
    expect(root.querySelector('.quick-status')!.textContent).toContain('Done: 1 action.');
  });
});
