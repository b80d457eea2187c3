// Ask: questions answered from the user's files, with the sources listed
// and opened with a click. Conversations are kept: listed on the left, to
// continue, rename or delete. Enter asks (Shift+Enter for a new line), Esc
// stops an answer, Ctrl+N starts a new conversation.

import { h, replace } from '../dom';
import { errorText } from '../ipc';
import { fileName, modifiedAgo } from '../format';
import { progressText, startAnswer, TurnView, type AnswerRun } from '../answer';
import type { ConversationSummary, SourceRef } from '../types';
import type { View, ViewContext } from '../view';

/// How long the Delete button waits for its confirming second click.
const CONFIRM_MS = 4000;

export const askView: View = {
  id: 'ask',
  title: 'Ask',
  create(context: ViewContext) {
    const { api, hub } = context;
    const list = h('ul', { class: 'conversation-list', 'aria-label': 'Conversations' });
    const newButton = h('button', { type: 'button', class: 'secondary new-conversation', title: 'New conversation (Ctrl+N)' }, 'New conversation');
    const transcript = h('div', { class: 'transcript' });
    const heading = h('h1', { class: 'conversation-title' }, 'Ask about your files');
    const tools = h('div', { class: 'conversation-tools' });
    const input = h('textarea', {
      class: 'ask-input',
      rows: 2,
      placeholder: 'Ask a question about your files…',
      'aria-label': 'Question',
      spellcheck: 'true',
    });
    const send = h('button', { type: 'submit', class: 'primary' }, 'Ask');
    const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
    const scopeRow = h('div', { class: 'scope-row', hidden: true });
    const form = h('form', { class: 'ask-form' }, input, send);
    const element = h(
      'section',
      { class: 'view view-ask', 'aria-label': 'Ask' },
      h('aside', { class: 'conversations' }, newButton, list),
      h('div', { class: 'chat' }, h('header', { class: 'view-header' }, heading, tools), transcript, status, scopeRow, form),
    );

    let current: string | null = null;
    let running: AnswerRun | null = null;
    let folders: number | null = null;
    /// The file or folder questions are about, or null for all files.
    let scope: string | null = null;

    function setScope(path: string | null) {
      scope = path;
      scopeRow.hidden = !path;
      if (!path) {
        replace(scopeRow);
        return;
      }
      const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Ask about all files, not only ${fileName(path)}`, title: 'Ask about all files (Backspace in an empty box)' }, '×');
      remove.addEventListener('click', () => {
        setScope(null);
        input.focus();
      });
      replace(scopeRow, h('span', { class: 'chip scope-chip', title: path }, h('span', { class: 'muted' }, 'In '), h('span', { class: 'scope-name' }, fileName(path)), remove));
    }
    /// Takes the file or folder another view asked about, if any.
    function takeScope() {
      const path = hub.askScope;
      if (!path || running) return;
      hub.askScope = null;
      newConversation();
      setScope(path);
    }
    hub.onAskScope(() => takeScope());

    function open(source: SourceRef) {
      api.openFile(source.path).catch((error) => say(errorText(error), true));
    }

    function say(text: string, error = false) {
      status.className = error ? 'status-line error' : 'status-line';
      status.textContent = text;
    }

    function emptyState() {
      const noFolders = folders === 0;
      replace(
        transcript,
        h(
          'div',
          { class: 'empty-state' },
          h('h2', {}, noFolders ? 'Nothing to ask about yet' : 'Ask about your files'),
          noFolders
            ? h('p', {}, 'Add a folder first: Nook answers only from the files it has indexed.')
            : h('p', {}, 'Nook finds the passages closest to your question, answers from them, and lists them so you can check. Nothing leaves this machine.'),
          noFolders && h('button', { type: 'button', class: 'primary', onclick: () => context.navigate('library') }, 'Add a folder'),
        ),
      );
    }

    async function refreshList() {
      let conversations: ConversationSummary[];
      try {
        conversations = await api.conversations();
      } catch (error) {
        say(errorText(error), true);
        return;
      }
      const now = context.now();
      replace(
        list,
        conversations.length
          ? conversations.map((c) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'conversation-item',
                    'data-id': c.id,
                    'aria-current': c.id === current ? 'true' : null,
                    onclick: () => void show(c.id),
                  },
                  h('span', { class: 'conversation-name' }, c.title),
                  h('span', { class: 'muted' }, modifiedAgo(c.updated_ms, now)),
                ),
              ),
            )
          : h('li', { class: 'muted empty-list' }, 'Your conversations will be kept here.'),
      );
    }

    function drawTools(id: string | null, title: string) {
      heading.textContent = id ? title : 'Ask about your files';
      if (!id) {
        replace(tools);
        return;
      }
      const rename = h('button', { type: 'button', class: 'link', onclick: () => startRename(id, title) }, 'Rename');
      const remove = h('button', { type: 'button', class: 'link danger' }, 'Delete');
      let armed: ReturnType<typeof setTimeout> | null = null;
      remove.addEventListener('click', async () => {
        if (!armed) {
          remove.textContent = 'Delete for good?';
          armed = setTimeout(() => {
            armed = null;
            remove.textContent = 'Delete';
          }, CONFIRM_MS);
          return;
        }
        clearTimeout(armed);
        try {
          await api.deleteConversation(id);
          newConversation();
          say('Conversation deleted.');
        } catch (error) {
          say(errorText(error), true);
        }
        void refreshList();
      });
      replace(tools, rename, remove);
    }

    function startRename(id: string, title: string) {
      const field = h('input', { type: 'text', class: 'rename-input', value: title, 'aria-label': 'Conversation title' });
      const done = async (save: boolean) => {
        if (save) {
          try {
            const renamed = await api.renameConversation(id, field.value);
            drawTools(id, renamed.title);
            void refreshList();
            return;
          } catch (error) {
            say(errorText(error), true);
          }
        }
        drawTools(id, title);
      };
      field.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          void done(true);
        } else if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          void done(false);
        }
      });
      replace(tools, field);
      heading.textContent = '';
      field.focus();
      field.select();
    }

    async function show(id: string) {
      if (running) return;
      try {
        const conversation = await api.conversation(id);
        current = id;
        drawTools(id, conversation.title);
        replace(transcript, conversation.turns.map((turn) => TurnView.of(turn, open).element));
        transcript.scrollTop = transcript.scrollHeight;
        say('');
      } catch (error) {
        say(errorText(error), true);
      }
      void refreshList();
      input.focus();
    }

    function newConversation() {
      if (running) return;
      current = null;
      setScope(null);
      drawTools(null, '');
      emptyState();
      say('');
      void refreshList();
      input.focus();
    }

    async function ask() {
      const question = input.value.trim();
      if (!question || running) return;
      if (!current) replace(transcript);
      const turn = new TurnView(question, open);
      transcript.appendChild(turn.element);
      input.value = '';
      send.textContent = 'Stop';
      say('Searching your files…');
      running = startAnswer(
        api,
        question,
        current,
        (update) => {
          turn.update(update);
          const text = progressText(update);
          if (text) say(text);
          else if (update.type === 'text') say('Answering… (Esc to stop)');
          transcript.scrollTop = transcript.scrollHeight;
        },
        scope,
      );
      try {
        const info = await running.done;
        turn.finish(info.turn);
        if (!current) {
          current = info.conversation;
          const conversation = await api.conversation(current).catch(() => null);
          drawTools(current, conversation?.title ?? question);
        }
        say('');
      } catch (error) {
        turn.failed(errorText(error));
        say('');
      } finally {
        running = null;
        send.textContent = 'Ask';
        void refreshList();
        input.focus();
      }
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (running) running.cancel();
      else void ask();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === 'Backspace' && scope && !input.value) {
        event.preventDefault();
        setScope(null);
      }
    });
    element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && running) {
        event.preventDefault();
        running.cancel();
        say('Stopping…');
      } else if (event.key.toLowerCase() === 'n' && event.ctrlKey && !event.shiftKey && !event.altKey) {
        event.preventDefault();
        newConversation();
      }
    });
    newButton.addEventListener('click', () => newConversation());

    async function refreshFolders() {
      try {
        folders = (await api.appStatus()).folders;
      } catch {
        folders = null;
      }
      if (!current && !running) emptyState();
    }
    hub.onLibrary((event) => {
      if (event.type === 'indexed' || event.type === 'updated' || event.type === 'forgotten') void refreshFolders();
    });

    emptyState();
    return {
      element,
      shown() {
        takeScope();
        void refreshFolders();
        void refreshList();
        input.focus();
      },
    };
  },
};
