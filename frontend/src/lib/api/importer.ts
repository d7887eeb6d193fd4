// ImportService: import a CSV or JSON-lines file from the window (the same code as
// `stormdesk import`). In the window a native open dialog picks the file; in a browser
// (serve) there is none, so the page uploads the file's text or names a path.
import * as ImportService from '../../../wailsjs/go/main/ImportService';
import { main, type workspace } from '../../../wailsjs/go/models';
import { call, subscribe } from './call';
import { Events } from './events';
import type { Plain } from './types';

export type ImportRequest = Plain<main.ImportRequest>;
export type ImportColumns = Plain<main.ImportColumns>;
/** ImportResult: rows read, imported, duplicates, skipped (the first listed with line and reason), warnings. */
export type ImportResult = Plain<workspace.ImportResult>;
/** FilePick: dialog false means no native dialog here (browser); path '' means cancelled. */
export type FilePick = Plain<main.FilePick>;
/** ImportProgress is one "import:progress" event: rows read so far, done at the end. */
export type ImportProgress = Plain<main.ImportProgress>;

/** The columns `stormdesk import` reads by default; the form starts from them. */
export const DEFAULT_COLUMNS: ImportColumns = { id: 'id', text: 'text', time: '', author: '', thread: '', direction: '', account: '' };

/** pickImportFile opens the native open dialog (window only). */
export function pickImportFile(): Promise<FilePick> {
  return call('ImportService.PickFile', () => ImportService.PickFile());
}

/** importFile stores the rows of one file and resolves with the summary (Go returns non-nil lists). */
export function importFile(req: ImportRequest): Promise<ImportResult> {
  return call('ImportService.Import', () => ImportService.Import(main.ImportRequest.createFrom(req)));
}

/** onImportProgress subscribes to "import:progress". */
export function onImportProgress(cb: (p: ImportProgress) => void): () => void {
  return subscribe<ImportProgress>(Events.ImportProgress, (p) => {
    if (p) cb(p);
  });
}
