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
}

export interface FolderSummary {
  path: string;
  indexed: number;
  skipped: number;
  failed: number;
  pending: boolean;
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

export interface SettingsInfo {
  shortcut: { accelerator: string; default: string; availability: Availability; problem: string | null };
  tray: Availability;
  wayland: boolean;
  folders: string[];
  models: { name: string; task: string; location: string | null }[];
  data: { config: string; index: string; models: string[] };
}

export interface IndexReport {
  root: string;
  files_found: number;
  unchanged: number;
  indexed: number;
  retimed: number;
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
  | { type: 'failed'; folder: string; message: string }
  | { type: 'forgotten'; folder: string; files: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'idle' };
