// Fans the app's events out to the views, and remembers the latest engine
// state so a view made later still knows it.

import type { EngineState, LibraryEvent } from './types';

type Listener<T> = (value: T) => void;

export class Hub {
  engine: EngineState = { state: 'loading' };
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
