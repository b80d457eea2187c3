// The payloads the app's commands and events carry, as the Rust side
// serializes them (src-tauri/src/commands.rs, nook-engine's LibraryEvent).

export type EngineState =
  | { state: 'loading' }
  | { state: 'ready'; notice?: string | null }
  | { state: 'failed'; message: string };

export interface Activity {
  paused: boolean;
  current: string | null;
  queued: string[];
}

export interface AppStatus {
  engine: EngineState;
  version: string;
  folders: number;
  activity: Activity | null;
}

export interface Hit {
  path: string;
  kind: string | null;
  modified_ms: number;
  snippet: string;
  line_start: number;
  line_end: number;
  /// "page 3", "sheet Budget", "slide 4"; absent for plain files.
  section?: string | null;
  /// Bytes, when known.
  size?: number | null;
  /// Found (also) by its name or folder.
  name_match?: boolean;
}

/// One filter of a search plan, as a chip shows it.
export interface Chip {
  field: 'kinds' | 'dates' | 'folder' | 'size' | 'name' | 'order';
  /// Short: "documents", "this quarter".
  label: string;
  /// Exact: "pdf or document", "modified Jul 1, 2025 – Sep 30, 2025".
  detail: string;
  /// Read from the words but not applied: with it nothing close was found.
  /// Shown as "label — relaxed"; its words are searched in its place.
  relaxed?: boolean;
  words?: string;
}

/// A search plan as nook-plan serializes it. The UI reads `text` and
/// `request`, and hands the whole plan back to `refine_search`.
export interface Plan {
  request: string;
  text: string;
  [field: string]: unknown;
}

/// What a search found, with the plan it was read as.
export interface SearchResults {
  plan: Plan;
  chips: Chip[];
  hits: Hit[];
  /// What could not be used, or why nothing matched.
  notes: string[];
}

/// Which job typed text is for, and why (the engine's `route`).
export interface Routed {
  route: 'find' | 'ask' | 'act';
  why: string;
}

/// Why a file is or is not found (`nook why`).
export interface Why {
  path: string;
  state: 'indexed' | 'skipped' | 'failed' | 'pending' | 'outside' | 'missing';
  reason: string;
  folder: string | null;
  chunks: number;
  kind: string | null;
}

export interface FolderSummary {
  path: string;
  /// Changed files waiting to be read.
  waiting?: number;
  indexed: number;
  skipped: number;
  failed: number;
  pending: boolean;
  /** Why the folder is checked by polling; null when changes are seen at once. */
  polling: string | null;
}

export interface LibraryOverview {
  folders: FolderSummary[];
  activity: Activity;
}

export type FileStatus = 'indexed' | 'skipped' | 'failed';

export interface FileRow {
  path: string;
  status: FileStatus;
  reason: string | null;
  kind: string | null;
  size: number;
  modified_ms: number;
  chunks: number;
}

export interface FolderFiles {
  folder: string;
  total: number;
  files: FileRow[];
}

export interface Availability {
  available: boolean;
  note: string | null;
}

export interface ModelSummary {
  name: string;
  /// "embed" or "chat".
  task: string;
  location: string | null;
  size_bytes: number;
  architecture: string | null;
  context_length: number | null;
  problem: string | null;
  /// The tasks Nook uses it for: "embed", "chat", "plan".
  used_for: string[];
  /// A default model (set-up fetches it; it cannot be removed).
  default: boolean;
  /// For a chat model Nook runs: what to expect of it on this computer
  /// (speeds estimated from its size).
  outlook?: {
    parameters: number;
    memory_needed_bytes: number;
    memory_free_bytes: number | null;
    fits: boolean | null;
    read_tokens_per_second: number;
    write_tokens_per_second: number;
    seconds_to_read_1000_tokens: number;
    good_for: string;
  };
}

export interface SettingsInfo {
  shortcut: { accelerator: string; default: string; availability: Availability; problem: string | null };
  tray: Availability;
  wayland: boolean;
  folders: string[];
  models: ModelSummary[];
  data: { config: string; index: string; conversations: string; models: string[] };
  /// The month (1–12) the fiscal year starts in.
  fiscal_year_start?: number;
  /// Whether requests may run programs, and which.
  run?: { enabled: boolean; programs: string[] };
}

/// A passage given to the model, and whether the answer cites it.
export interface SourceRef {
  number: number;
  path: string;
  line_start: number;
  line_end: number;
  section?: string | null;
  cited: boolean;
}

/// The span of a passage that answers the question, with the passage
/// around it.
export interface Extract {
  /// The number of its passage among the sources.
  source: number;
  path: string;
  line_start: number;
  line_end: number;
  section?: string | null;
  text: string;
  before: string;
  after: string;
  score: number;
}

/// A sentence of the generated answer as checked against the passages.
export interface CheckedSentence {
  text: string;
  support: 'supported' | 'not_found' | 'no_claim';
  /// The passages that support it (their numbers).
  sources: number[];
}

export interface Turn {
  question: string;
  answer: string;
  sources: SourceRef[];
  model: string;
  /// end_of_turn, stop_sequence, max_tokens, cancelled or nothing_found.
  finish: string;
  asked_ms: number;
  /// Absent in turns kept before answers were extracted.
  extract?: Extract | null;
  sentences?: CheckedSentence[];
  /// What to know about this answer (a question in another language).
  notes?: string[];
  /// A summary's key points, numbered as its sources (the file's parts):
  /// present for every summary, empty when no sentence stands out.
  key_points?: Extract[];
  /// What the chat model read and wrote for this turn, when it answered.
  exchange?: { prompt: string; reply: string };
  /// A thinking model's reasoning before its answer (shown collapsed).
  thinking?: string;
}

export interface Conversation {
  id: string;
  title: string;
  created_ms: number;
  updated_ms: number;
  turns: Turn[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updated_ms: number;
  turns: number;
}

export interface AnswerInfo {
  conversation: string;
  turn: Turn;
}

/// What the `answer` event carries while a question is answered.
export type AnswerUpdate = { request: string } & (
  | { type: 'sources'; sources: SourceRef[] }
  | { type: 'extract'; extract: Extract | null }
  | { type: 'checked'; sentences: CheckedSentence[]; answer: string }
  | { type: 'loading'; model: string; progress: number }
  | { type: 'reading'; tokens: number; reused: number }
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'generation'; prompt: number[]; tokens: number[]; first_refused: number | null }
  | { type: 'summarizing'; stage: 'reading' | 'summarizing'; done: number; total: number }
  | { type: 'key_points'; points: Extract[] }
);

export interface IndexReport {
  root: string;
  files_found: number;
  unchanged: number;
  indexed: number;
  retimed: number;
  reused: number;
  chunks_embedded: number;
  skipped: number;
  failed: number;
  removed: number;
  elapsed_ms: number;
  stopped: boolean;
}

export type Phase = 'scanning' | 'indexing' | 'optimizing';

export type LibraryEvent =
  | { type: 'progress'; folder: string; phase: Phase; done: number; total: number; eta_seconds: number | null }
  | { type: 'indexed'; folder: string; report: IndexReport }
  | { type: 'updated'; folder: string; report: IndexReport }
  | { type: 'notice'; folder: string; message: string }
  | { type: 'failed'; folder: string; message: string }
  | { type: 'forgotten'; folder: string; files: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'idle' };

/// One line of what a plan will do, as the confirmation shows it.
export interface Effect {
  verb: string;
  /// Absolute paths, old → new, the program and its arguments.
  detail: string;
  /// What stands in the way; the action is then skipped.
  conflict?: string;
}

/// A typed action, as the engine keeps it (only its `type` is read here).
export interface Action {
  type: 'open' | 'reveal' | 'create_folder' | 'move' | 'copy' | 'rename' | 'trash' | 'launch' | 'terminal' | 'run';
  [field: string]: unknown;
}

/// A request made into a plan, waiting for the person's answer.
export interface Proposed {
  plan: { id: string; request: string; actions: Action[] };
  effects: Effect[];
  /// Hands the yes back to run exactly this plan, once.
  token: string;
  changes: number;
  conflicts: number;
  /// A big batch: a second yes is needed.
  confirm_twice: boolean;
  read_by: 'rules' | 'model';
  notes: string[];
  search?: Plan;
  /// Other files the words fit as well as the one in the plan: proposing
  /// the request again with one of them in `meant` plans for it instead.
  instead?: Instead[];
}

/// Another file a phrase of a request may have meant.
export interface Instead {
  phrase: string;
  path: string;
}

export interface Outcome {
  plan_id: string;
  done: { entry: string; effect: Effect; undoable: boolean }[];
  failed: { effect: Effect; reason: string }[];
}

/// One action done, as the Activity view lists it.
export interface ActivityItem {
  id: string;
  plan_id: string;
  request: string;
  effect: Effect;
  applied_ms: number;
  undone: boolean;
  /// Begun and never finished (Nook was stopped): it may not have happened.
  unfinished?: boolean;
  /// Why it cannot be undone, when it cannot.
  cannot_undo?: string;
}
