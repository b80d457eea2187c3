// The main window: the shell with its views, fed by the app's events.

import { api, events } from './ipc';
import { Hub } from './hub';
import { Shell } from './shell';
import { views } from './views';

async function start() {
  const hub = new Hub();
  // Listen before asking for the state, so no change falls in between.
  await Promise.all([events.library((e) => hub.library(e)), events.engine((s) => hub.setEngine(s))]);
  const shell = new Shell(views, { api, hub, now: () => Date.now() });
  document.getElementById('app')!.appendChild(shell.element);
  shell.show('search');
  try {
    hub.setEngine((await api.appStatus()).engine);
  } catch {
    // The engine event will tell.
  }
}

void start();
