// The views of the main window, in sidebar order (Ctrl+1, Ctrl+2, …).
// Adding a view: write a module that exports a `View` and list it here.

import type { View } from '../view';
import { activityView } from './activity';
import { askView } from './ask';
import { libraryView } from './library';
import { searchView } from './search';
import { settingsView } from './settings';

export const views: View[] = [searchView, askView, libraryView, activityView, settingsView];
