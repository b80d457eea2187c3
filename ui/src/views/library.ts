// Library: the watched folders. Add one (native picker or a typed path),
// remove one, follow indexing as it streams, see each file's status and why
// a file was skipped or failed.

import { debounce, h, replace } from '../dom';
import { errorText } from '../ipc';
import { count, eta, fileName } from '../format';
import type { FileStatus, FolderSummary, LibraryEvent, LibraryOverview } from '../types';
import type { View, ViewContext } from '../view';

const FILE_PAGE = 500;
const FILTERS: { label: string; status?: FileStatus }[] = [
  { label: 'Problems first' },
  { label: 'Failed', status: 'failed' },
  { label: 'Skipped', status: 'skipped' },
  { label: 'Indexed', status: 'indexed' },
];

export const libraryView: View = {
  id: 'library',
  title: 'Library',
  create(context: ViewContext) {
    const { api, hub } = context;
    const pathInput = h('input', {
      type: 'text',
      class: 'path-input',
      placeholder: '/home/you/Documents',
      'aria-label': 'Folder path',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const message = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
    const progress = h('div', { class: 'progress-panel', hidden: true, 'aria-live': 'polite' });
    const folderList = h('ul', { class: 'folders', 'aria-label': 'Watched folders' });
    const details = h('section', { class: 'folder-details', hidden: true, 'aria-label': 'Files of the folder' });
    const pauseButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'pause' }, 'Pause indexing');
    const whyInput = h('input', {
      type: 'text',
      class: 'path-input',
      placeholder: '/home/you/Documents/report.pdf',
      'aria-label': 'Path of a file Nook does not find',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const whyAnswer = h('p', { class: 'why-answer', role: 'status', 'aria-live': 'polite', hidden: true });
    const whyForm = h(
      'form',
      { class: 'why-form' },
      h('label', { class: 'muted' }, 'Why is a file found or not?'),
      whyInput,
      h('button', { type: 'submit', class: 'secondary' }, 'Explain'),
    );

    const form = h(
      'form',
      { class: 'add-folder' },
      h('button', { type: 'button', class: 'primary', 'data-action': 'browse' }, 'Add a folder…'),
      h('span', { class: 'muted' }, 'or type a path'),
      pathInput,
      h('button', { type: 'submit', class: 'secondary' }, 'Add'),
    );
    const element = h(
      'section',
      { class: 'view view-library', 'aria-label': 'Library' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Library'), pauseButton),
      form,
      message,
      progress,
      folderList,
      details,
      whyForm,
      whyAnswer,
    );

    let overview: LibraryOverview | null = null;
    let paused = false;
    let openFolder: string | null = null;
    let filter: FileStatus | undefined;

    function say(text: string, kind: 'info' | 'warn' | 'error' = 'info') {
      message.className = `status-line ${kind}`;
      message.textContent = text;
    }

    async function add(path: string) {
      if (!path.trim()) {
        say('Type the path of a folder, or choose one with “Add a folder…”.', 'error');
        return;
      }
      try {
        const added = await api.addFolder(path);
        pathInput.value = '';
        say(`Watching ${added}. Indexing starts now.`);
        await refresh();
      } catch (error) {
        say(errorText(error), 'error');
      }
    }

    const STATE_WORDS: Record<string, string> = {
      indexed: 'Indexed',
      skipped: 'Skipped',
      failed: 'Failed',
      pending: 'Not indexed yet',
      outside: 'Not in the Library',
      missing: 'No such file',
    };
    whyForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const path = whyInput.value.trim();
      whyAnswer.hidden = false;
      if (!path) {
        whyAnswer.className = 'why-answer error';
        whyAnswer.textContent = 'Type the path of a file to hear why Nook finds it or not.';
        return;
      }
      try {
        const why = await api.why(path);
        whyAnswer.className = `why-answer ${why.state}`;
        replace(whyAnswer, h('strong', {}, `${STATE_WORDS[why.state] ?? why.state}: `), why.reason);
      } catch (error) {
        whyAnswer.className = 'why-answer error';
        whyAnswer.textContent = errorText(error);
      }
    });

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void add(pathInput.value);
    });
    form.querySelector('[data-action="browse"]')!.addEventListener('click', async () => {
      try {
        const picked = await api.pickFolder();
        if (picked) await add(picked);
      } catch (error) {
        say(errorText(error), 'error');
      }
    });
    pauseButton.addEventListener('click', async () => {
      try {
        await api.setIndexingPaused(!paused);
        setPaused(!paused);
      } catch (error) {
        say(errorText(error), 'error');
      }
    });

    function setPaused(value: boolean) {
      paused = value;
      pauseButton.textContent = paused ? 'Resume indexing' : 'Pause indexing';
      pauseButton.setAttribute('aria-pressed', String(paused));
    }

    async function refresh() {
      try {
        overview = await api.libraryOverview();
        setPaused(overview.activity.paused);
        drawFolders();
        if (openFolder) await drawDetails();
      } catch (error) {
        say(errorText(error), 'error');
      }
    }
    const refreshSoon = debounce(200, () => void refresh());

    function drawFolders() {
      const folders = overview?.folders ?? [];
      if (!folders.length) {
        replace(
          folderList,
          h(
            'li',
            { class: 'empty-state' },
            h('h2', {}, 'No folder yet'),
            h('p', {}, 'Add a folder and Nook will index what is in it. Your files never leave this machine.'),
          ),
        );
        return;
      }
      replace(folderList, folders.map(folderRow));
    }

    function folderRow(folder: FolderSummary): HTMLElement {
      const removeArea = h('span', { class: 'remove-area' });
      const askRemove = () => {
        replace(
          removeArea,
          h('span', { class: 'muted' }, 'Stop watching? Your files stay where they are. '),
          h('button', { type: 'button', class: 'danger', onclick: () => void remove(folder.path) }, 'Remove'),
          h('button', { type: 'button', class: 'link', onclick: () => replace(removeArea, removeButton) }, 'Cancel'),
        );
      };
      const removeButton = h('button', { type: 'button', class: 'link', onclick: askRemove }, 'Remove…');
      replace(removeArea, removeButton);
      const isOpen = openFolder === folder.path;
      return h(
        'li',
        { class: 'folder', 'data-folder': folder.path },
        h(
          'div',
          { class: 'folder-head' },
          h('span', { class: 'folder-path', title: folder.path }, folder.path),
          folder.pending && h('span', { class: 'badge busy' }, paused ? 'waiting' : 'indexing'),
          !folder.pending && (folder.waiting ?? 0) > 0 && h('span', { class: 'badge busy' }, `${count(folder.waiting ?? 0, 'change')} waiting`),
          folder.polling
            ? h('span', { class: 'badge warn', title: folder.polling }, 'checked periodically')
            : h('span', { class: 'badge live', title: 'Changes to this folder reach the index within seconds' }, 'live'),
        ),
        folder.polling && h('p', { class: 'folder-note warn' }, `Checked periodically: ${folder.polling}`),
        h(
          'div',
          { class: 'folder-counts' },
          h('span', {}, count(folder.indexed, 'file'), ' indexed'),
          h('span', { class: folder.skipped ? 'warn' : 'muted' }, `${folder.skipped} skipped`),
          h('span', { class: folder.failed ? 'bad' : 'muted' }, `${folder.failed} failed`),
          h(
            'button',
            { type: 'button', class: 'link', 'aria-expanded': String(isOpen), onclick: () => void toggleDetails(folder.path) },
            isOpen ? 'Hide files' : 'Files…',
          ),
          removeArea,
        ),
      );
    }

    async function remove(path: string) {
      try {
        await api.removeFolder(path);
        if (openFolder === path) openFolder = null;
        say(`Stopped watching ${path}. Its entries leave the index; the files are untouched.`);
        await refresh();
      } catch (error) {
        say(errorText(error), 'error');
      }
    }

    async function toggleDetails(path: string) {
      openFolder = openFolder === path ? null : path;
      drawFolders();
      await drawDetails();
    }

    async function drawDetails() {
      if (!openFolder) {
        details.hidden = true;
        return;
      }
      details.hidden = false;
      try {
        const page = await api.folderFiles(openFolder, filter, FILE_PAGE);
        const tabs = h(
          'div',
          { class: 'tabs', role: 'tablist' },
          FILTERS.map((f) =>
            h(
              'button',
              {
                type: 'button',
                role: 'tab',
                class: 'tab',
                'aria-selected': String(f.status === filter),
                onclick: () => {
                  filter = f.status;
                  void drawDetails();
                },
              },
              f.label,
            ),
          ),
        );
        const rows = page.files.map((file) =>
          h(
            'tr',
            { class: `file-row ${file.status}` },
            h('td', { class: 'file-name', title: file.path }, fileName(file.path)),
            h('td', {}, h('span', { class: `badge ${file.status}` }, file.status)),
            h('td', { class: 'reason' }, file.reason ?? (file.status === 'indexed' ? count(file.chunks, 'passage') : '')),
          ),
        );
        replace(
          details,
          h('h2', {}, `Files of ${fileName(openFolder)}`),
          tabs,
          page.files.length
            ? h('table', { class: 'files' }, h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Status'), h('th', {}, 'Details'))), h('tbody', {}, rows))
            : h('p', { class: 'muted' }, 'No file here with that status.'),
          page.total > page.files.length && h('p', { class: 'muted' }, `Showing ${page.files.length} of ${page.total}.`),
        );
      } catch (error) {
        replace(details, h('p', { class: 'status-line error' }, errorText(error)));
      }
    }

    function showProgress(event: LibraryEvent) {
      if ('folder' in event) progress.dataset.folder = event.folder;
      switch (event.type) {
        case 'progress': {
          progress.hidden = false;
          const name = fileName(event.folder);
          const bar = h('progress', { max: Math.max(event.total, 1), value: event.done });
          const left = eta(event.eta_seconds);
          const line =
            event.phase === 'scanning'
              ? `Looking through ${name}: ${count(event.done, 'file')} found`
              : event.phase === 'optimizing'
                ? `Finishing ${name}: updating the search index`
                : `Indexing ${name}: ${event.done} / ${count(event.total, 'file')}${left ? ` · ${left}` : ''}`;
          replace(progress, h('p', { class: 'progress-line' }, line), event.phase === 'indexing' && bar);
          break;
        }
        case 'indexed': {
          const r = event.report;
          progress.hidden = false;
          replace(
            progress,
            h(
              'p',
              { class: 'progress-line done' },
              `${fileName(event.folder)} is up to date: ${r.indexed} indexed, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.failed} failed.`,
            ),
          );
          refreshSoon();
          break;
        }
        case 'updated': {
          const r = event.report;
          const changed = r.indexed + r.reused + r.removed + r.failed;
          if (changed === 0) break;
          const parts = [
            r.indexed && `${count(r.indexed, 'file')} indexed`,
            r.reused && `${count(r.reused, 'file')} moved`,
            r.removed && `${count(r.removed, 'file')} removed`,
            r.failed && `${r.failed} failed`,
          ].filter(Boolean);
          progress.hidden = false;
          replace(progress, h('p', { class: 'progress-line done' }, `${fileName(event.folder)} changed: ${parts.join(', ')}.`));
          refreshSoon();
          break;
        }
        case 'notice':
          say(event.message, 'warn');
          refreshSoon();
          break;
        case 'failed':
          say(`Indexing ${event.folder} failed: ${event.message}`, 'error');
          refreshSoon();
          break;
        case 'forgotten':
          if (progress.dataset.folder === event.folder) progress.hidden = true;
          refreshSoon();
          break;
        case 'paused':
          setPaused(true);
          progress.hidden = false;
          replace(progress, h('p', { class: 'progress-line' }, 'Indexing is paused. Resume to pick up where it stopped.'));
          refreshSoon();
          break;
        case 'resumed':
          setPaused(false);
          replace(progress, h('p', { class: 'progress-line' }, 'Indexing resumes…'));
          refreshSoon();
          break;
        case 'idle':
          // Keep a finished run's summary; drop a progress line left over.
          if (!progress.querySelector('.done')) progress.hidden = true;
          refreshSoon();
          break;
      }
    }

    hub.onLibrary(showProgress);
    hub.onEngine((state) => {
      if (state.state === 'ready') void refresh();
    });
    drawFolders();

    return {
      element,
      shown() {
        void refresh();
      },
    };
  },
};
