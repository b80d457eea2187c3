// The one door to the Rust side: typed wrappers of the app's commands and
// events. Tests replace what is behind it with @tauri-apps/api/mocks.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  ActivityItem,
  AnswerInfo,
  AnswerUpdate,
  AppStatus,
  Chip,
  Conversation,
  ConversationSummary,
  EngineState,
  FileStatus,
  FolderFiles,
  Instead,
  LibraryEvent,
  LibraryOverview,
  Outcome,
  Plan,
  Proposed,
  Routed,
  SearchResults,
  SettingsInfo,
  Why,
} from './types';

export const api = {
  appStatus: () => invoke<AppStatus>('app_status'),
  search: (query: string, limit?: number) => invoke<SearchResults>('search', { query, limit }),
  /// Removes one filter of `plan` (`phrase` null) or replaces it with what
  /// `phrase` says ("last month"), and searches again.
  refineSearch: (plan: Plan, field: Chip['field'], phrase: string | null, limit?: number) =>
    invoke<SearchResults>('refine_search', { plan, field, phrase, limit }),
  openFile: (path: string) => invoke<void>('open_file', { path }),
  revealFile: (path: string) => invoke<void>('reveal_file', { path }),
  libraryOverview: () => invoke<LibraryOverview>('library_overview'),
  addFolder: (path: string) => invoke<string>('add_folder', { path }),
  pickFolder: () => invoke<string | null>('pick_folder'),
  removeFolder: (path: string) => invoke<void>('remove_folder', { path }),
  folderFiles: (folder: string, status?: FileStatus, limit?: number) =>
    invoke<FolderFiles>('folder_files', { folder, status, limit }),
  setIndexingPaused: (paused: boolean) => invoke<void>('set_indexing_paused', { paused }),
  why: (path: string) => invoke<Why>('why', { path }),
  settingsInfo: () => invoke<SettingsInfo>('settings_info'),
  setShortcut: (accelerator: string) => invoke<string>('set_shortcut', { accelerator }),
  setFiscalYearStart: (month: number) => invoke<void>('set_fiscal_year_start', { month }),
  warmUp: () => invoke<void>('warm_up'),
  hideQuickAsk: () => invoke<void>('hide_quick_ask'),
  showMain: () => invoke<void>('show_main'),
  useModel: (name: string, task: string) => invoke<void>('use_model', { name, task }),
  addModel: () => invoke<string | null>('add_model'),
  removeModel: (name: string) => invoke<void>('remove_model', { name }),
  /// Streams on the `answer` event under `request` (see answer.ts).
  /// `scope`: answer from this file, or the files under this folder, only.
  ask: (request: string, question: string, conversation: string | null, scope: string | null = null) =>
    invoke<AnswerInfo>('ask', { request, question, conversation, scope }),
  cancelAnswer: (request: string) => invoke<void>('cancel_answer', { request }),
  conversations: () => invoke<ConversationSummary[]>('conversations'),
  conversation: (id: string) => invoke<Conversation>('conversation', { id }),
  renameConversation: (id: string, title: string) => invoke<ConversationSummary>('rename_conversation', { id, title }),
  deleteConversation: (id: string) => invoke<void>('delete_conversation', { id }),
  /// Which job typed text is for: find files, answer a question, or act.
  route: (text: string) => invoke<Routed>('route', { text }),
  /// Makes a request to act into a plan to confirm; nothing changes yet.
  /// `selection`: the files "these" and "them" mean.
  /// `meant`: files chosen among those a proposal offered instead.
  proposeAction: (request: string, selection: string[] = [], meant: Instead[] = []) =>
    invoke<Proposed>('propose_action', { request, selection, meant }),
  /// Runs a proposed plan: only with the token it came with, once.
  executeAction: (planId: string, token: string, confirmedTwice: boolean) =>
    invoke<Outcome>('execute_action', { planId, token, confirmedTwice }),
  cancelAction: (planId: string) => invoke<void>('cancel_action', { planId }),
  activity: () => invoke<ActivityItem[]>('activity'),
  setRunPrograms: (enabled: boolean, programs: string[]) => invoke<string[]>('set_run_programs', { enabled, programs }),
  /// Undoes one action, or a whole request by its plan id.
  undoAction: (id: string) => invoke<ActivityItem[]>('undo_action', { id }),
};

export type Api = typeof api;

export const events = {
  library: (handler: (event: LibraryEvent) => void): Promise<UnlistenFn> =>
    listen<LibraryEvent>('library', (e) => handler(e.payload)),
  engine: (handler: (state: EngineState) => void): Promise<UnlistenFn> =>
    listen<EngineState>('engine', (e) => handler(e.payload)),
  quickAskShown: (handler: () => void): Promise<UnlistenFn> => listen('quick-ask-shown', () => handler()),
  answer: (handler: (update: AnswerUpdate) => void): Promise<UnlistenFn> =>
    listen<AnswerUpdate>('answer', (e) => handler(e.payload)),
};

/// A command's error as a sentence to show.
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  return String(error);
}
