// Fans the app's events out to the views, and remembers the latest engine
// state so a view made later still knows it.

import type { EngineState, LibraryEvent } from './types';

type Listener<T> = (value: T) => void;

/// Files picked in one view for a request in another: the results of a
/// search, for "rename these to 2025-Q3-…" in Activity.
export interface Selection {
  paths: string[];
  /// Where they came from, in words: the search's request.
  from: string;
}

export class Hub {
  engine: EngineState = { state: 'loading' };
  selection: Selection | null = null;
  /// The file or folder the next question is about ("Ask about it" on a
  /// search result), for the Ask view to take.
  askScope: string | null = null;
  private askScopeListeners = new Set<Listener<string | null>>();
  private selectionListeners = new Set<Listener<Selection | null>>();
  private libraryListeners = new Set<Listener<LibraryEvent>>();
  private engineListeners = new Set<Listener<EngineState>>();

  onLibrary(listener: Listener<LibraryEvent>): () => void {
    this.libraryListeners.add(listener);
    return () => this.libraryListeners.delete(listener);
  }

  onEngine(listener: Listener<EngineState>): () => void {
    this.engineListeners.add(listener);
    return () => this.engineListeners.delete(listener);
  }

  onSelection(listener: Listener<Selection | null>): () => void {
    this.selectionListeners.add(listener);
    return () => this.selectionListeners.delete(listener);
  }

  onAskScope(listener: Listener<string | null>): () => void {
    this.askScopeListeners.add(listener);
    return () => this.askScopeListeners.delete(listener);
  }

  askAbout(path: string | null): void {
    this.askScope = path;
    for (const listener of this.askScopeListeners) listener(path);
  }

  select(selection: Selection | null): void {
    this.selection = selection;
    for (const listener of this.selectionListeners) listener(selection);
  }

  library(event: LibraryEvent): void {
    for (const listener of this.libraryListeners) listener(event);
  }

  setEngine(state: EngineState): void {
    // A late answer saying "loading" must not undo a final state.
    if (state.state === 'loading' && this.engine.state !== 'loading') return;
    this.engine = state;
    for (const listener of this.engineListeners) listener(state);
  }
}
