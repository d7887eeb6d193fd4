// Forwarding of listening alerts and digests to Telegram and e-mail (docs/listening.md,
// "Forwarding in the app"): a rule per topic, one bot and one SMTP account for all.
import * as ListeningService from '../../../wailsjs/go/main/ListeningService';
import type { workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain, With } from './types';

export type ForwardWhat = 'alerts' | 'digest' | 'both';
/** A topic's rule; errorCode '' when its last forwarding worked (else an apperr code with errorParams). */
export type ForwardRule = With<workspace.ForwardRule, { what: ForwardWhat; chatIds: number[]; emails: string[]; errorParams: Record<string, string> }>;
/** The SMTP account; botToken and smtpPassword are sent only when changed and never come back. */
export type ForwardConfig = Plain<workspace.ForwardConfig>;

function normRule(r: Plain<workspace.ForwardRule>): ForwardRule {
  return { ...r, what: (r.what || 'both') as ForwardWhat, chatIds: r.chatIds ?? [], emails: r.emails ?? [], errorParams: (r.errorParams ?? {}) as Record<string, string> };
}

export function forwardRules(): Promise<ForwardRule[]> {
  return call('ListeningService.ForwardRules', () => ListeningService.ForwardRules(), (rs) => (rs ?? []).map(normRule));
}

export function saveForwardRule(r: ForwardRule): Promise<void> {
  return call('ListeningService.SaveForwardRule', () => ListeningService.SaveForwardRule(r as workspace.ForwardRule));
}

export function deleteForwardRule(topicId: number): Promise<void> {
  return call('ListeningService.DeleteForwardRule', () => ListeningService.DeleteForwardRule(topicId));
}

/** testForwardRule sends a test message to every target of the topic's rule at once. */
export function testForwardRule(topicId: number): Promise<void> {
  return call('ListeningService.TestForwardRule', () => ListeningService.TestForwardRule(topicId));
}

export function forwardConfig(): Promise<ForwardConfig> {
  return call('ListeningService.ForwardConfig', () => ListeningService.ForwardConfig(), (c) => c as ForwardConfig);
}

export function saveForwardConfig(c: ForwardConfig): Promise<void> {
  return call('ListeningService.SaveForwardConfig', () => ListeningService.SaveForwardConfig(c as workspace.ForwardConfig));
}
