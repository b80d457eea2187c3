// A fake backend behind the real IPC door (@tauri-apps/api/mocks): views are
// tested through the same `api` object the app uses.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { afterEach } from 'vitest';

export type Handler = (args: Record<string, unknown>) => unknown;

export interface FakeBackend {
  calls: { cmd: string; args: Record<string, unknown> }[];
  on(cmd: string, handler: Handler): void;
  emit(event: string, payload: unknown): Promise<void>;
}

export function fakeBackend(handlers: Record<string, Handler> = {}): FakeBackend {
  const table = new Map(Object.entries(handlers));
  const calls: FakeBackend['calls'] = [];
  mockIPC(
    (cmd, args) => {
      const payload = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: payload });
      const handler = table.get(cmd);
      if (!handler) throw new Error(`no fake for ${cmd}`);
      return handler(payload);
    },
    { shouldMockEvents: true },
  );
  return {
    calls,
    on: (cmd, handler) => table.set(cmd, handler),
    emit: (event, payload) => emit(event, payload),
  };
}

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

/// Lets pending promises and timers of `ms` run.
export async function settle(ms = 0): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

export function key(target: EventTarget, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

export const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

export function hit(path: string, snippet = 'a passage', kind = 'text') {
  return { path, kind, modified_ms: NOW - 3 * 3600_000, snippet, line_start: 3, line_end: 5 };
}

/// What a search returns: the files, the plan's chips, its notes.
export function found(hits: unknown[], chips: { field: string; label: string; detail: string }[] = [], notes: string[] = []) {
  return { plan: { request: 'r', text: 't', order: 'relevance' }, chips, hits, notes };
}
