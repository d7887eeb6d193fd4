// ComposeService: drafted replies and their approval workflow, the approval queue, the
// reply library (canned replies, knowledge base, brand voices), the drafting model's
// settings. Its "compose:delta", "reply:delivered" and "approval:*" events are in events.ts.
import * as ComposeService from '../../../wailsjs/go/main/ComposeService';
import { main, type drafts, type store } from '../../../wailsjs/go/models';
import { call } from './call';
import { filled, goTime, nonNull } from './normalize';
import type { Channel, Plain, Sent, With } from './types';

export type ReplyState = 'draft' | 'submitted' | 'approved' | 'rejected' | 'queued' | 'sent' | 'failed';
export const REPLY_STATES: readonly ReplyState[] = ['draft', 'submitted', 'approved', 'rejected', 'queued', 'sent', 'failed'];
export type ReplySource = 'llm' | 'offline' | 'canned' | '';
export type StepAction = 'edit' | 'submit' | 'withdraw' | 'approve' | 'reject' | 'queue' | 'retry';

/** Finding is one suspected prompt injection in an inbound message. */
export type Finding = Plain<drafts.Finding>;
export type Approval = Plain<drafts.Approval>;
/** Reply is a drafted reply moving through approval; an unknown state is shown as it is, with no actions. */
export type Reply = With<drafts.Reply, { state: ReplyState; source: ReplySource; updatedAt: string }>;
/** AuditEntry is one workflow step. */
export type AuditEntry = With<drafts.AuditEntry, { when: string; comment: string; diff: string }>;
export type ComposeStep = With<main.ComposeStep, { action: StepAction }>;
export type Canned = Plain<drafts.Canned>;
export type KBEntry = With<drafts.KBEntry, { brand: string }>;
/** BrandProfile is how drafts speak for one brand; defaultLang "" follows the thread. */
export type BrandProfile = Plain<drafts.Brand>;
export type Provider = 'openai' | 'azure';
/** LLMConfig is the drafting settings as the UI edits them; extra is the rest (timeout, retry, …), sent back unchanged. */
export type LLMConfig = Pick<Plain<drafts.Settings>, 'baseUrl' | 'model' | 'apiVersion'> & { provider: Provider; extra: Record<string, unknown> };
/** LLMState never carries the API key, only whether one is stored. */
export type LLMState = { settings: LLMConfig; hasApiKey: boolean };
/** PendingApproval is a reply waiting for an approver. */
export type PendingApproval = With<store.PendingApproval, { reply: Reply; channel: Channel }>;

export function normReply(v: Sent<drafts.Reply>): Reply {
  const r = filled<Reply>(v, {
    id: '', state: 'draft', author: '', draftText: '', text: '', lang: '', source: '', aiAssisted: false,
    approver: '', comment: '', failReason: '', externalId: '', idempotencyKey: '',
  });
  const ap = v?.approval;
  return {
    ...r,
    citations: nonNull(v?.citations),
    problems: nonNull(v?.problems),
    injection: nonNull(v?.injection).map((f) => filled<Finding>(f, {})),
    approval: { needsApprover: ap?.needsApprover === true, twoPerson: ap?.twoPerson === true, reasons: nonNull(ap?.reasons) },
    updatedAt: goTime(v?.updatedAt),
  };
}

function normAudit(v: Sent<drafts.AuditEntry>): AuditEntry {
  return { ...filled<AuditEntry>(v, { comment: '', diff: '' }), when: goTime(v?.when) };
}

export function normLLM(v: Sent<main.LLMSettings>): LLMState {
  const none: NonNullable<Sent<drafts.Settings>> = {};
  const { provider, baseUrl, model, apiVersion, ...extra } = v?.settings ?? none;
  return {
    settings: {
      provider: provider === 'azure' ? 'azure' : 'openai',
      baseUrl: baseUrl ?? '',
      model: model ?? '',
      apiVersion: apiVersion ?? '',
      extra,
    },
    hasApiKey: v?.hasApiKey === true,
  };
}

export function normPendingApproval(v: Sent<store.PendingApproval>): PendingApproval {
  const p = filled<PendingApproval>(v, { account: '', brand: '', subject: '', author: '', crisis: false, priority: 0 });
  return { ...p, reply: normReply(v?.reply) };
}

/** draftReply asks Go for a draft (LLM or offline template); the text streams through onComposeDelta. */
export function draftReply(conversationId: number, guidance = ''): Promise<Reply> {
  return call('ComposeService.Draft', () => ComposeService.Draft(conversationId, guidance), normReply);
}

/** draftForGroup drafts the same statement in each conversation; each draft still needs approval. */
export function draftForGroup(conversationIds: number[], text: string): Promise<Reply[]> {
  return call('ComposeService.DraftForGroup', () => ComposeService.DraftForGroup(conversationIds, text), (list) => nonNull(list).map(normReply));
}

export function cancelDraft(conversationId: number): Promise<void> {
  return call('ComposeService.Cancel', () => ComposeService.Cancel(conversationId));
}

export function stepReply(step: ComposeStep): Promise<Reply> {
  return call('ComposeService.Step', () => ComposeService.Step(step), normReply);
}

export function replies(conversationId: number): Promise<Reply[]> {
  return call('ComposeService.Replies', () => ComposeService.Replies(conversationId), (list) => nonNull(list).map(normReply));
}

export function replyAudit(replyId: string): Promise<AuditEntry[]> {
  return call('ComposeService.Audit', () => ComposeService.Audit(replyId), (list) => nonNull(list).map(normAudit));
}

/** approvalQueue lists the submitted replies, crisis replies first. */
export function approvalQueue(): Promise<PendingApproval[]> {
  return call('ComposeService.ApprovalQueue', () => ComposeService.ApprovalQueue(), (list) => nonNull(list).map(normPendingApproval));
}

export function cannedReplies(query: string): Promise<Canned[]> {
  return call('ComposeService.Canned', () => ComposeService.Canned(query), (list) => nonNull(list).map((c) => ({ ...c, tags: nonNull(c?.tags) })));
}

export function saveCanned(c: Canned): Promise<void> {
  return call('ComposeService.SaveCanned', () => ComposeService.SaveCanned(c));
}

export function deleteCanned(id: string): Promise<void> {
  return call('ComposeService.DeleteCanned', () => ComposeService.DeleteCanned(id));
}

export function kbEntries(brand = ''): Promise<KBEntry[]> {
  return call('ComposeService.KB', () => ComposeService.KB(brand), (list) => nonNull(list).map((e) => filled<KBEntry>(e, { brand: '' })));
}

export function saveKB(e: KBEntry): Promise<void> {
  return call('ComposeService.SaveKB', () => ComposeService.SaveKB(e));
}

export function brands(): Promise<BrandProfile[]> {
  return call('ComposeService.Brands', () => ComposeService.Brands(), nonNull);
}

export function saveBrand(b: BrandProfile): Promise<void> {
  return call('ComposeService.SaveBrand', () => ComposeService.SaveBrand(b));
}

/** retrainSentiment learns the corrected labels; resolves with how many. */
export function retrainSentiment(): Promise<number> {
  return call('ComposeService.RetrainSentiment', () => ComposeService.RetrainSentiment(), (n) => n ?? 0);
}

export function llmSettings(): Promise<LLMState> {
  return call('ComposeService.LLM', () => ComposeService.LLM(), normLLM);
}

/** saveLLM stores the settings; apiKey '' keeps the key already in the keyring. */
export function saveLLM(c: LLMConfig, apiKey: string): Promise<void> {
  const settings = { ...c.extra, provider: c.provider, baseUrl: c.baseUrl.trim(), model: c.model.trim(), apiVersion: c.apiVersion.trim() };
  // createFrom builds the generated class the binding is typed with from the plain settings.
  return call('ComposeService.SaveLLM', () => ComposeService.SaveLLM(main.LLMSettings.createFrom({ settings, apiKey })));
}

/** testLLM resolves with the server's model ids or rejects with Go's reason. */
export function testLLM(): Promise<string[]> {
  return call('ComposeService.TestLLM', () => ComposeService.TestLLM(), nonNull);
}
