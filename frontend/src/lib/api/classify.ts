// ClassifyService: the LLM pass that relabels messages the offline sentiment model was unsure of.
import * as ClassifyService from '../../../wailsjs/go/main/ClassifyService';
import type { drafts, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain } from './types';

/** ClassifySettings is the classify part of the LLM settings; threshold (0..1) sends less confident labels to the LLM. */
export type ClassifySettings = Plain<drafts.ClassifySettings>;
export type ClassifyResult = Plain<workspace.ClassifyResult>;
/** available is false in offline mode (no LLM server configured). */
export type ClassifyStatus = Plain<workspace.ClassifyStatus>;

/** classifyStatus returns the settings, whether an LLM is configured and the last run. */
export function classifyStatus(): Promise<ClassifyStatus> {
  return call('ClassifyService.Status', () => ClassifyService.Status());
}

/** saveClassify stores the classify settings; the drafting settings and key stay. */
export function saveClassify(s: ClassifySettings): Promise<void> {
  return call('ClassifyService.SaveSettings', () => ClassifyService.SaveSettings(s));
}

/** classifyNow runs the LLM pass at once and resolves with what it changed. */
export function classifyNow(): Promise<ClassifyResult> {
  return call('ClassifyService.RunNow', () => ClassifyService.RunNow());
}
