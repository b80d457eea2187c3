// What a view of the main window is. A new view (chat, actions…) is a module
// exporting a `View`, added to the list in views/index.ts: the shell gives it
// a place in the sidebar, a Ctrl+digit key and the shared context.

import type { Api } from './ipc';
import type { Hub } from './hub';

export interface ViewContext {
  api: Api;
  hub: Hub;
  /// Shows another view by id.
  navigate(id: string): void;
  /// Clock, replaceable in tests.
  now(): number;
}

export interface MountedView {
  element: HTMLElement;
  /// Called each time the view comes into sight.
  shown?(): void;
}

export interface View {
  id: string;
  title: string;
  create(context: ViewContext): MountedView;
}
