import { describe, expect, it } from 'vitest';
import { Hub } from '../../src/hub';
import { api } from '../../src/ipc';
import { Shell } from '../../src/shell';
import { views } from '../../src/views';
import type { LibraryEvent } from '../../src/types';
import { fakeBackend, found, hit, key, NOW, settle } from './helpers';

const READY = { engine: { state: 'ready' }, version: '0.1.0', folders: 1, activity: null };
const IDLE = { paused: false, current: null, queued: [] };

function mount(engine: 'loading' | 'ready' = 'ready') {
  const hub = new Hub();
  if (engine === 'ready') hub.setEngine({ state: 'ready' });
  const shell = new Shell(views, { api, hub, now: () => NOW });
  document.body.appendChild(shell.element);
  shell.show('search');
  return { hub, shell, $: (s: string) => shell.element.querySelector(s) as HTMLElement | null };
}

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('main window', () => {
  it('lists every view in the sidebar and switches with Ctrl+digit', async () => {
    fakeBackend({
      app_status: () => READY,
      conversations: () => [],
      library_overview: () => ({ folders: [], activity: IDLE }),
      settings_info: () => new Promise(() => {}),
      activity: () => [],
    });
    const { shell, $ } = mount();
    const titles = Array.from(shell.element.querySelectorAll('.nav-item')).map((b) => b.textContent);
    expect(titles).toEqual(['Search', 'Ask', 'Library', 'Activity', 'Settings']);
    key(document, '2', { ctrlKey: true });
    expect(shell.currentView).toBe('ask');
    key(document, '3', { ctrlKey: true });
    expect(shell.currentView).toBe('library');
    expect($('[data-view="library"]')!.getAttribute('aria-current')).toBe('page');
    expect($('[data-view-panel="search"]')!.hidden).toBe(true);
    key(document, '4', { ctrlKey: true });
    expect(shell.currentView).toBe('activity');
    key(document, '5', { ctrlKey: true });
    expect(shell.currentView).toBe('settings');
  });

  it('says the engine is opening, then that it failed with its reason', () => {
    fakeBackend({ app_status: () => READY });
    const { hub, $ } = mount('loading');
    expect($('.banner')!.hidden).toBe(false);
    expect($('.banner')!.textContent).toContain('Opening your index');
    hub.setEngine({ state: 'failed', message: 'run `bash scripts/setup.sh --models`' });
    expect($('.banner')!.textContent).toContain('bash scripts/setup.sh --models');
  });

  it('keeps a ready engine ready when a late answer still says loading, and shows its notice', () => {
    fakeBackend({ app_status: () => READY });
    const { hub, $ } = mount('loading');
    hub.setEngine({ state: 'ready', notice: 'settings.json could not be read; it was kept as settings.json.unreadable' });
    hub.setEngine({ state: 'loading' });
    expect(hub.engine.state).toBe('ready');
    expect($('.banner')!.textContent).toContain('settings.json.unreadable');
    hub.setEngine({ state: 'ready' });
    expect($('.banner')!.hidden).toBe(true);
  });
});

describe('search view', () => {
  it('offers to add a folder when none is watched', async () => {
    fakeBackend({ app_status: () => ({ ...READY, folders: 0 }), library_overview: () => ({ folders: [], activity: IDLE }) });
    const { shell, $ } = mount();
    await settle();
    const empty = $('.view-search .empty-state')!;
    expect(empty.hidden).toBe(false);
    expect(empty.textContent).toContain('Nothing to search yet');
    (empty.querySelector('button') as HTMLButtonElement).click();
    expect(shell.currentView).toBe('library');
  });

  it('searches as you type, after a pause, and shows files best first', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      search: ({ query }) => found(query === 'quarterly revenue' ? [hit('/d/q3-report.md'), hit('/d/budget.txt')] : []),
    });
    const { $ } = mount();
    const input = $('.search-box') as HTMLInputElement;
    type(input, 'quarterly');
    type(input, 'quarterly revenue');
    await settle(200);
    const searches = backend.calls.filter((c) => c.cmd === 'search');
    expect(searches.map((c) => c.args.query)).toEqual(['quarterly revenue']);
    const names = Array.from(document.querySelectorAll('.view-search .result-name')).map((n) => n.textContent);
    expect(names).toEqual(['q3-report.md', 'budget.txt']);
    expect($('.view-search .status-line')!.textContent).toBe('2 files');
  });

  it('opens the selected result with Enter and reveals it with Ctrl+Enter, through the app', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      search: () => found([hit('/d/a.md'), hit('/d/b.md')]),
      open_file: () => null,
      reveal_file: () => null,
    });
    const { $ } = mount();
    const input = $('.search-box') as HTMLInputElement;
    type(input, 'notes');
    await settle(200);
    key(input, 'ArrowDown');
    key(input, 'Enter');
    key(input, 'Enter', { ctrlKey: true });
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/d/b.md']);
    expect(backend.calls.filter((c) => c.cmd === 'reveal_file').map((c) => c.args.path)).toEqual(['/d/b.md']);
  });

  it('opens the best file of what was typed when Enter comes before the search', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      search: ({ query }) => found([hit(`/d/${query}.md`)]),
      open_file: () => null,
    });
    const { $ } = mount();
    const input = $('.search-box') as HTMLInputElement;
    type(input, 'old');
    await settle(200);
    type(input, 'new');
    key(input, 'Enter');
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/d/new.md']);
  });

  it('shows what went wrong when a file cannot be opened', async () => {
    fakeBackend({
      app_status: () => READY,
      search: () => found([hit('/d/gone.md')]),
      open_file: () => {
        throw '/d/gone.md is no longer there; it will leave the index at the next scan';
      },
    });
    const { $ } = mount();
    const input = $('.search-box') as HTMLInputElement;
    type(input, 'gone');
    await settle(200);
    key(input, 'Enter');
    await settle();
    expect($('.view-search .status-line')!.textContent).toContain('no longer there');
  });

  it('shows the plan as chips; removing one searches again without it', async () => {
    const KINDS = { field: 'kinds', label: 'reports', detail: 'pdf or document' };
    const DATES = { field: 'dates', label: 'this quarter', detail: 'modified Oct 1, 2026 – Dec 31, 2026' };
    const backend = fakeBackend({
      app_status: () => READY,
      search: () => found([hit('/d/q4.pdf', 'a passage', 'pdf')], [KINDS, DATES]),
      refine_search: () => found([hit('/d/q4.pdf', 'a passage', 'pdf'), hit('/d/q2.pdf', 'a passage', 'pdf')], [KINDS]),
    });
    const { $ } = mount();
    type($('.search-box') as HTMLInputElement, 'reports from this quarter');
    await settle(200);
    const chips = () => Array.from(document.querySelectorAll('.view-search .chip')).map((c) => c.textContent);
    expect(chips()).toEqual(['Kind reports×', 'Dates this quarter×']);
    expect(($('.chip[data-field="dates"] .chip-label') as HTMLElement).title).toContain('Oct 1, 2026');

    ($('.chip[data-field="dates"] .chip-remove') as HTMLButtonElement).click();
    await settle();
    const refine = backend.calls.find((c) => c.cmd === 'refine_search')!;
    expect(refine.args).toMatchObject({ field: 'dates', phrase: null, plan: { request: 'r' } });
    expect(chips()).toEqual(['Kind reports×']);
    expect(document.querySelectorAll('.view-search .result')).toHaveLength(2);
  });

  it('changes a chip to another phrase; a phrase that says nothing is refused and the results stay', async () => {
    const DATES = { field: 'dates', label: 'this quarter', detail: 'modified …' };
    const backend = fakeBackend({
      app_status: () => READY,
      search: () => found([hit('/d/a.pdf')], [DATES]),
      refine_search: ({ phrase }) => {
        if (phrase === 'purple') throw '“purple” is not a date Nook can read; try “last month”, “Q3 2024” or “since Monday”';
        return found([hit('/d/b.pdf')], [{ ...DATES, label: String(phrase) }]);
      },
    });
    const { $ } = mount();
    type($('.search-box') as HTMLInputElement, 'reports from this quarter');
    await settle(200);

    const edit = (phrase: string) => {
      ($('.chip[data-field="dates"] .chip-label') as HTMLButtonElement).click();
      const box = $('.chip-input') as HTMLInputElement;
      expect(document.activeElement).toBe(box);
      box.value = phrase;
      key(box, 'Enter');
    };
    edit('purple');
    await settle();
    expect($('.view-search .status-line')!.textContent).toContain('is not a date');
    expect(document.querySelectorAll('.view-search .result-name')[0].textContent).toBe('a.pdf');

    key($('.chip-input')!, 'Escape');
    edit('last month');
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'refine_search').map((c) => c.args.phrase)).toEqual(['purple', 'last month']);
    expect($('.chip[data-field="dates"]')!.textContent).toContain('last month');
    expect(document.querySelectorAll('.view-search .result-name')[0].textContent).toBe('b.pdf');
  });

  it('a relaxed chip says so, with the note; changing it offers the words without the mark', async () => {
    const KINDS = { field: 'kinds', label: 'pdf', detail: 'pdf: not applied, since with it nothing close to the words was found', relaxed: true, words: 'pdf' };
    const backend = fakeBackend({
      app_status: () => READY,
      search: () => found([hit('/d/lopdf.md')], [KINDS], ['Nothing close to the words matched “pdf”: shown without it']),
      refine_search: () => found([hit('/d/a.pdf')], [{ field: 'kinds', label: 'pdf', detail: 'pdf' }]),
    });
    const { $ } = mount();
    type($('.search-box') as HTMLInputElement, 'modify existing pdf documents');
    await settle(200);
    const chip = $('.chip[data-field="kinds"]')!;
    expect(chip.classList.contains('relaxed')).toBe(true);
    expect(chip.textContent).toBe('Kind pdf — relaxed×');
    expect($('.view-search .status-line')!.textContent).toBe('1 file · Nothing close to the words matched “pdf”: shown without it.');

    ($('.chip[data-field="kinds"] .chip-label') as HTMLButtonElement).click();
    const box = $('.chip-input') as HTMLInputElement;
    expect(box.value).toBe('pdf');
    key(box, 'Enter');
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'refine_search')!.args).toMatchObject({ field: 'kinds', phrase: 'pdf' });
    expect($('.chip[data-field="kinds"]')!.classList.contains('relaxed')).toBe(false);
  });

  it('a focused chip is removed with Delete, and notes explain an empty result', async () => {
    const FOLDER = { field: 'folder', label: 'in Nowhere', detail: 'below any folder named Nowhere' };
    const backend = fakeBackend({
      app_status: () => READY,
      search: () => found([], [FOLDER], ['No folder named “Nowhere” holds indexed files; check the name, or add the folder to the Library']),
      refine_search: () => found([hit('/d/a.md')]),
    });
    const { $ } = mount();
    type($('.search-box') as HTMLInputElement, 'notes in Nowhere');
    await settle(200);
    expect($('.view-search .status-line')!.textContent).toBe(
      'No folder named “Nowhere” holds indexed files; check the name, or add the folder to the Library.',
    );
    const label = $('.chip[data-field="folder"] .chip-label') as HTMLButtonElement;
    label.focus();
    key(label, 'Delete');
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'refine_search')!.args).toMatchObject({ field: 'folder', phrase: null });
    expect($('.view-search .plan-chips')!.hidden).toBe(true);
    expect($('.view-search .status-line')!.textContent).toBe('1 file');
  });

  it('keeps the newest answer when an older search returns late', async () => {
    let release: (hits: unknown) => void = () => {};
    fakeBackend({
      app_status: () => READY,
      search: ({ query }) => (query === 'slow' ? new Promise((r) => (release = r)) : found([hit('/d/fast.md')])),
    });
    const { $ } = mount();
    const input = $('.search-box') as HTMLInputElement;
    type(input, 'slow');
    await settle(200);
    type(input, 'fast');
    await settle(200);
    release(found([hit('/d/slow.md')]));
    await settle();
    const names = Array.from(document.querySelectorAll('.view-search .result-name')).map((n) => n.textContent);
    expect(names).toEqual(['fast.md']);
  });
});

describe('library view', () => {
  const folder = { path: '/home/ann/docs', indexed: 40, skipped: 2, failed: 1, pending: false, polling: null as string | null };

  it('starts empty with a way to add a folder', async () => {
    fakeBackend({ app_status: () => READY, library_overview: () => ({ folders: [], activity: IDLE }) });
    const { shell, $ } = mount();
    shell.show('library');
    await settle();
    expect($('.folders .empty-state')!.textContent).toContain('No folder yet');
    expect($('[data-action="browse"]')!.textContent).toBe('Add a folder…');
  });

  it('adds a typed folder and lists it; a refused folder shows the reason', async () => {
    const folders: typeof folder[] = [];
    const backend = fakeBackend({
      app_status: () => READY,
      library_overview: () => ({ folders, activity: IDLE }),
      add_folder: ({ path }) => {
        if (path === '/nope') throw 'cannot index /nope: no such folder';
        folders.push({ ...folder, path: path as string, indexed: 0, skipped: 0, failed: 0, pending: true });
        return path;
      },
    });
    const { shell, $ } = mount();
    shell.show('library');
    const input = $('.path-input') as HTMLInputElement;
    input.value = '/nope';
    ($('.add-folder') as HTMLFormElement).requestSubmit();
    await settle();
    expect($('.view-library .status-line')!.textContent).toBe('cannot index /nope: no such folder');
    input.value = '/home/ann/docs';
    ($('.add-folder') as HTMLFormElement).requestSubmit();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'add_folder').map((c) => c.args.path)).toEqual(['/nope', '/home/ann/docs']);
    expect($('.folder .folder-path')!.textContent).toBe('/home/ann/docs');
    expect($('.folder .badge.busy')!.textContent).toBe('indexing');
  });

  it('follows indexing progress as it streams, with files done, total and time left', async () => {
    const backend = fakeBackend({ app_status: () => READY, library_overview: () => ({ folders: [folder], activity: IDLE }) });
    const { shell, hub, $ } = mount();
    const hubEvents: LibraryEvent[] = [
      { type: 'progress', folder: '/home/ann/docs', phase: 'scanning', done: 120, total: 0, eta_seconds: null },
      { type: 'progress', folder: '/home/ann/docs', phase: 'indexing', done: 30, total: 120, eta_seconds: 95 },
    ];
    shell.show('library');
    hub.library(hubEvents[0]);
    expect($('.progress-line')!.textContent).toBe('Looking through docs: 120 files found');
    hub.library(hubEvents[1]);
    expect($('.progress-line')!.textContent).toBe('Indexing docs: 30 / 120 files · about 2 min left');
    expect(($('progress') as HTMLProgressElement).getAttribute('value')).toBe('30');
    hub.library({
      type: 'indexed',
      folder: '/home/ann/docs',
      report: { root: '/home/ann/docs', files_found: 120, unchanged: 0, indexed: 117, retimed: 0, reused: 0, chunks_embedded: 300, skipped: 2, failed: 1, removed: 0, elapsed_ms: 9000, stopped: false },
    });
    expect($('.progress-line')!.textContent).toContain('docs is up to date: 117 indexed');
    await settle(250);
    expect(backend.calls.filter((c) => c.cmd === 'library_overview').length).toBeGreaterThan(1);
  });

  it('says which folders follow changes live and why others are checked periodically', async () => {
    const polled = { ...folder, path: '/mnt/share', polling: 'it is on a NFS file system, whose changes the system does not announce, so Nook looks for changes every 30 s' };
    fakeBackend({ app_status: () => READY, library_overview: () => ({ folders: [folder, polled], activity: IDLE }) });
    const { shell } = mount();
    shell.show('library');
    await settle();
    const rows = Array.from(document.querySelectorAll('.folder'));
    expect(rows[0].querySelector('.badge.live')!.textContent).toBe('live');
    expect(rows[0].querySelector('.folder-note')).toBeNull();
    expect(rows[1].querySelector('.badge.warn')!.textContent).toBe('checked periodically');
    expect(rows[1].querySelector('.folder-note')!.textContent).toContain('NFS file system');
  });

  it('reports changes the watcher brought in, and notices about how a folder is followed', async () => {
    fakeBackend({ app_status: () => READY, library_overview: () => ({ folders: [folder], activity: IDLE }) });
    const { shell, hub, $ } = mount();
    shell.show('library');
    await settle();
    const report = { root: '/home/ann/docs', files_found: 3, unchanged: 0, indexed: 1, retimed: 0, reused: 2, chunks_embedded: 1, skipped: 0, failed: 0, removed: 2, elapsed_ms: 40, stopped: false };
    hub.library({ type: 'updated', folder: '/home/ann/docs', report });
    expect($('.progress-line')!.textContent).toBe('docs changed: 1 file indexed, 2 files moved, 2 files removed.');
    hub.library({ type: 'notice', folder: '/home/ann/docs', message: '/home/ann/docs is checked by polling: the limit is reached' });
    expect($('.view-library .status-line')!.textContent).toContain('checked by polling');
    expect($('.view-library .status-line')!.className).toContain('warn');
  });

  it('shows why files were skipped or failed, problems first', async () => {
    fakeBackend({
      app_status: () => READY,
      library_overview: () => ({ folders: [folder], activity: IDLE }),
      folder_files: () => ({
        folder: '/home/ann/docs',
        total: 3,
        files: [
          { path: '/home/ann/docs/broken.pdf', status: 'failed', reason: 'permission denied', kind: null, size: 10, modified_ms: NOW, chunks: 0 },
          { path: '/home/ann/docs/photo.bin', status: 'skipped', reason: 'binary file', kind: null, size: 10, modified_ms: NOW, chunks: 0 },
          { path: '/home/ann/docs/notes.md', status: 'indexed', reason: null, kind: 'markdown', size: 10, modified_ms: NOW, chunks: 2 },
        ],
      }),
    });
    const { shell, $ } = mount();
    shell.show('library');
    await settle();
    (Array.from(document.querySelectorAll('.folder button')).find((b) => b.textContent === 'Files…') as HTMLElement).click();
    await settle();
    const rows = Array.from(document.querySelectorAll('.file-row')).map((r) => r.textContent);
    expect(rows).toEqual(['broken.pdffailedpermission denied', 'photo.binskippedbinary file', 'notes.mdindexed2 passages']);
    expect($('.folder-details h2')!.textContent).toBe('Files of docs');
  });

  it('explains why a file is or is not found, in the words of the backend', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      library_overview: () => ({ folders: [folder], activity: IDLE }),
      why: (args: Record<string, unknown>) => ({
        path: args.path,
        state: 'skipped',
        reason: 'excluded by /home/ann/docs/.gitignore',
        folder: '/home/ann/docs',
        chunks: 0,
        kind: 'pdf',
      }),
    });
    const { shell, $ } = mount();
    shell.show('library');
    await settle();
    const input = $('.why-form input') as HTMLInputElement;
    const submit = () => ($('.why-form') as HTMLFormElement).dispatchEvent(new Event('submit', { cancelable: true }));
    submit();
    await settle();
    expect($('.why-answer')!.textContent).toContain('Type the path of a file');
    expect(backend.calls.some((c) => c.cmd === 'why')).toBe(false);
    input.value = ' /home/ann/docs/build/report.pdf ';
    submit();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'why').map((c) => c.args.path)).toEqual(['/home/ann/docs/build/report.pdf']);
    expect($('.why-answer')!.textContent).toBe('Skipped: excluded by /home/ann/docs/.gitignore');
    expect($('.why-answer')!.className).toContain('skipped');
  });

  it('asks before removing a folder and removes it only when confirmed', async () => {
    let folders = [folder];
    const backend = fakeBackend({
      app_status: () => READY,
      library_overview: () => ({ folders, activity: IDLE }),
      remove_folder: () => {
        folders = [];
        return null;
      },
    });
    const { shell } = mount();
    shell.show('library');
    await settle();
    const button = (text: string) => Array.from(document.querySelectorAll('.folder button')).find((b) => b.textContent === text) as HTMLElement;
    button('Remove…').click();
    button('Cancel').click();
    expect(backend.calls.some((c) => c.cmd === 'remove_folder')).toBe(false);
    button('Remove…').click();
    button('Remove').click();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'remove_folder').map((c) => c.args.path)).toEqual(['/home/ann/docs']);
    expect(document.querySelector('.folders .empty-state')).not.toBeNull();
  });

  it('pauses and resumes indexing', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      library_overview: () => ({ folders: [folder], activity: IDLE }),
      set_indexing_paused: () => null,
    });
    const { shell, $ } = mount();
    shell.show('library');
    await settle();
    const pause = $('[data-action="pause"]')!;
    pause.click();
    await settle();
    expect(pause.textContent).toBe('Resume indexing');
    pause.click();
    await settle();
    expect(pause.textContent).toBe('Pause indexing');
    expect(backend.calls.filter((c) => c.cmd === 'set_indexing_paused').map((c) => c.args.paused)).toEqual([true, false]);
  });
});

function model(fields: Record<string, unknown>) {
  return { task: 'chat', location: null, size_bytes: 0, architecture: null, context_length: null, problem: null, used_for: [], default: false, ...fields };
}

describe('settings view', () => {
  const info = {
    shortcut: { accelerator: 'Ctrl+Shift+Space', default: 'Ctrl+Shift+Space', availability: { available: true, note: null }, problem: null },
    tray: { available: true, note: null },
    wayland: false,
    folders: ['/home/ann/docs'],
    models: [
      model({ name: 'all-MiniLM-L6-v2', task: 'embed', location: '/m/all-MiniLM-L6-v2', used_for: ['embed'], default: true }),
      model({ name: 'SmolLM2-135M-Instruct', default: true, problem: 'not installed; run `bash scripts/setup.sh --models`', used_for: ['chat', 'plan'] }),
      model({ name: 'qwen2.5-1.5b', location: '/m/qwen2.5-1.5b.gguf', architecture: 'qwen2', context_length: 32768, size_bytes: 1_100_000_000 }),
      model({
        name: 'qwen3-8b',
        location: '/m/qwen3-8b.gguf',
        architecture: 'qwen3',
        size_bytes: 5_000_000_000,
        outlook: {
          parameters: 8_200_000_000,
          memory_needed_bytes: 6_300_000_000,
          memory_free_bytes: 4_000_000_000,
          fits: false,
          read_tokens_per_second: 5,
          write_tokens_per_second: 1.2,
          seconds_to_read_1000_tokens: 200,
          good_for: 'the best answers, very slow on a computer without a graphics card; it reasons before it answers (shown collapsed), which takes longer',
        },
      }),
    ],
    data: { config: '/c', index: '/c/index', conversations: '/c/conversations', models: ['/c/models'] },
  };

  it('sets the month the fiscal year starts in', async () => {
    const backend = fakeBackend({ app_status: () => READY, settings_info: () => ({ ...info, fiscal_year_start: 4 }), set_fiscal_year_start: () => null });
    const { shell, $ } = mount();
    shell.show('settings');
    await settle();
    const select = $('.fiscal-select') as HTMLSelectElement;
    expect(select.value).toBe('4');
    select.value = '10';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'set_fiscal_year_start')!.args).toEqual({ month: 10 });
    expect($('.view-settings [aria-label="Search"] .status-line')!.textContent).toBe('“This fiscal year” now starts in October.');
  });

  it('turns running programs on for the programs listed, and says why one is refused', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      settings_info: () => ({ ...info, run: { enabled: false, programs: [] } }),
      set_run_programs: ({ programs }) => {
        if ((programs as string[]).includes('/bin/bash')) throw '/bin/bash cannot be an allowed program: it runs whatever text it is given';
        return programs;
      },
    });
    const { shell, $ } = mount();
    shell.show('settings');
    await settle();
    const enabled = $('.run-enabled') as HTMLInputElement;
    const list = $('.run-programs') as HTMLTextAreaElement;
    expect(enabled.checked).toBe(false);
    enabled.checked = true;
    list.value = '/usr/bin/convert\n\n/bin/bash';
    ($('.run-form') as HTMLFormElement).requestSubmit();
    await settle();
    const note = $('.view-settings [aria-label="Actions"] .status-line')!;
    expect(note.textContent).toContain('runs whatever text it is given');
    list.value = '/usr/bin/convert';
    ($('.run-form') as HTMLFormElement).requestSubmit();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'set_run_programs').at(-1)!.args).toEqual({ enabled: true, programs: ['/usr/bin/convert'] });
    expect(note.textContent).toBe('Saved: requests may run 1 program, always after you confirm.');
  });

  it('shows models, folders and where data lives', async () => {
    fakeBackend({ app_status: () => READY, settings_info: () => info });
    const { shell, $ } = mount();
    shell.show('settings');
    await settle();
    const text = $('.view-settings')!.textContent!;
    expect(text).toContain('/m/all-MiniLM-L6-v2');
    expect(text).toContain('not installed; run `bash scripts/setup.sh --models`');
    expect(text).toContain('/c/conversations');
    expect(text).toContain('qwen2 · 32,768 tokens · 1.1 GB');
    expect(text).toContain('/c/index');
    expect(text).toContain('/home/ann/docs');
  });

  it('explains Wayland and the nook --quick-ask command', async () => {
    const note = 'This is a Wayland session … bind a shortcut to the command `nook --quick-ask`.';
    fakeBackend({
      app_status: () => READY,
      settings_info: () => ({ ...info, wayland: true, shortcut: { ...info.shortcut, availability: { available: false, note } } }),
    });
    const { shell, $ } = mount();
    shell.show('settings');
    await settle();
    expect($('[data-note="shortcut"]')!.textContent).toBe(note);
  });

  it('saves a new shortcut and shows a refusal as it comes', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      settings_info: () => info,
      set_shortcut: ({ accelerator }) => {
        if (accelerator === 'Banana') throw '“Banana” is not a shortcut Nook understands';
        return accelerator;
      },
    });
    const { shell, $ } = mount();
    shell.show('settings');
    await settle();
    const input = $('.shortcut-input') as HTMLInputElement;
    input.value = 'Banana';
    (input.form as HTMLFormElement).requestSubmit();
    await settle();
    expect($('.setting .status-line')!.textContent).toContain('not a shortcut');
    input.value = 'Alt+K';
    (input.form as HTMLFormElement).requestSubmit();
    await settle();
    expect($('.setting .status-line')!.textContent).toBe('Saved: Alt+K opens the quick-ask box.');
    expect(backend.calls.filter((c) => c.cmd === 'set_shortcut').map((c) => c.args.accelerator)).toEqual(['Banana', 'Alt+K']);
  });

  it('chooses a chat model per task, and removes an added one but not a default', async () => {
    const backend = fakeBackend({ app_status: () => READY, settings_info: () => info, use_model: () => null, remove_model: () => null });
    const { shell, $ } = mount();
    shell.show('settings');
    await settle();
    const row = (name: string) => $(`tr[data-model="${name}"]`)!;
    const buttons = (name: string) => Array.from(row(name).querySelectorAll('button')).map((b) => b.textContent);
    expect(buttons('qwen2.5-1.5b')).toEqual(['Use for answers', 'Use for planning', 'Remove']);
    expect(buttons('SmolLM2-135M-Instruct')).toEqual([]);
    expect(buttons('all-MiniLM-L6-v2')).toEqual([]);
    expect(row('SmolLM2-135M-Instruct').textContent).toContain('used for answers and planning');
    // What to expect of a model here: its speed, what it is good for, and
    // a warning when it does not fit in the memory free now.
    expect(row('qwen3-8b').querySelector('.model-outlook')!.textContent).toBe(
      'Writes about 1.2 tokens a second here; reads a question with its passages in about 200 s. Good for the best answers, very slow on a computer without a graphics card; it reasons before it answers (shown collapsed), which takes longer.',
    );
    expect(row('qwen3-8b').querySelector('.warn')!.textContent).toContain('only 4.0 GB is free now');
    (row('qwen2.5-1.5b').querySelector('button') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'use_model')!.args).toEqual({ name: 'qwen2.5-1.5b', task: 'chat' });
    expect($('.setting[aria-label="Models"] .status-line')!.textContent).toBe('qwen2.5-1.5b now answers questions.');
    (Array.from(row('qwen2.5-1.5b').querySelectorAll('button')).pop() as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'remove_model')!.args).toEqual({ name: 'qwen2.5-1.5b' });
  });
});

