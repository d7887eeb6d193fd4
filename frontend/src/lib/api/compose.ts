// ComposeService: drafted replies and their approval workflow, the approval queue and
// who the user is. Its "compose:delta", "reply:delivered" and "approval:*" events are in events.ts.
import * as ComposeService from '../../../wailsjs/go/main/ComposeService';
import type { drafts, main, store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Channel, Plain, With } from './types';

export type ReplyState = 'draft' | 'submitted' | 'approved' | 'rejected' | 'queued' | 'sent' | 'failed' | 'discarded';
export const REPLY_STATES: readonly ReplyState[] = ['draft', 'submitted', 'approved', 'rejected', 'queued', 'sent', 'failed', 'discarded'];
export type ReplySource = 'llm' | 'offline' | 'canned' | 'template' | '';
export type StepAction = 'edit' | 'submit' | 'withdraw' | 'approve' | 'self-review' | 'reject' | 'queue' | 'retry' | 'discard';
export const STEP_ACTIONS: readonly StepAction[] = ['edit', 'submit', 'withdraw', 'approve', 'self-review', 'reject', 'queue', 'retry', 'discard'];
/** ApprovalMode: one person approving by a self-review, or a team with a second approver. */
export type ApprovalMode = 'single' | 'team';

/** Finding is one suspected prompt injection in an inbound message. */
export type Finding = Plain<drafts.Finding>;
export type Approval = Plain<drafts.Approval>;
/** Reply is a drafted reply moving through approval; an unknown state is shown as it is, with no actions. */
export type Reply = With<drafts.Reply, { state: ReplyState; source: ReplySource; allowed: StepAction[] }>;
/** AuditEntry is one workflow step. */
export type AuditEntry = Plain<drafts.AuditEntry>;
export type ComposeStep = With<main.ComposeStep, { action: StepAction; checklist?: string[]; supersede?: boolean }>;
/** ApprovalPolicy is how approval works in this workspace, for the user (drafts.Policy). */
export type ApprovalPolicy = With<drafts.Policy, { mode: ApprovalMode | string; me: Plain<drafts.Actor> }>;
/** PendingApproval is a reply waiting for an approver. */
export type PendingApproval = With<store.PendingApproval, { reply: Reply; channel: Channel }>;

/** normReply narrows Go's reply; a step this UI does not know is dropped (Go decides what the user may do, drafts.Allowed). */
export function normReply(v: Plain<drafts.Reply>): Reply {
  return { ...(v as Omit<Reply, 'allowed'>), allowed: v.allowed.filter((a): a is StepAction => (STEP_ACTIONS as readonly string[]).includes(a)) };
}

export function normPendingApproval(v: Plain<store.PendingApproval>): PendingApproval {
  return { ...v, channel: v.channel as Channel, reply: normReply(v.reply) };
}

/** draftReply asks Go for a draft (LLM or offline template); the text streams through onComposeDelta. */
export function draftReply(conversationId: number, guidance = ''): Promise<Reply> {
  return call('ComposeService.Draft', () => ComposeService.Draft(conversationId, guidance), normReply);
}

/** draftForGroup drafts the same statement in each conversation; each draft still needs approval. */
export function draftForGroup(conversationIds: number[], text: string): Promise<Reply[]> {
  return call('ComposeService.DraftForGroup', () => ComposeService.DraftForGroup(conversationIds, text), (list) => list.map(normReply));
}

export function cancelDraft(conversationId: number): Promise<void> {
  return call('ComposeService.Cancel', () => ComposeService.Cancel(conversationId));
}

export function stepReply(step: ComposeStep): Promise<Reply> {
  // checklist is sent only with a self-review; Go reads a missing one as empty.
  return call('ComposeService.Step', () => ComposeService.Step(step as main.ComposeStep), normReply);
}

/** approvalPolicy says who the user is and how replies are approved in this workspace. */
export function approvalPolicy(): Promise<ApprovalPolicy> {
  return call('ComposeService.ApprovalPolicy', () => ComposeService.ApprovalPolicy());
}

export function replies(conversationId: number): Promise<Reply[]> {
  return call('ComposeService.Replies', () => ComposeService.Replies(conversationId), (list) => list.map(normReply));
}

export function replyAudit(replyId: string): Promise<AuditEntry[]> {
  return call('ComposeService.Audit', () => ComposeService.Audit(replyId));
}

/** approvalQueue lists the submitted replies, crisis replies first. */
export function approvalQueue(): Promise<PendingApproval[]> {
  return call('ComposeService.ApprovalQueue', () => ComposeService.ApprovalQueue(), (list) => list.map(normPendingApproval));
}

/** sendCheck says why replies in a conversation cannot be sent (a coded error's text, e.g. a demo account), or '' when nothing stands in the way. */
export function sendCheck(conversationId: number): Promise<string> {
  return call('ComposeService.SendCheck', () => ComposeService.SendCheck(conversationId));
}

/** MessageTemplate is an approved WhatsApp template with its texts and variable counts. */
export type MessageTemplate = Plain<workspace.MessageTemplate>;
/** ReplyTemplate is a template reply's template: name, language and its values in order. */
export type ReplyTemplate = Plain<drafts.ReplyTemplate>;

/** messageTemplates lists the approved templates the conversation's account may send (coded template-unsupported elsewhere). */
export function messageTemplates(conversationId: number): Promise<MessageTemplate[]> {
  return call('ComposeService.Templates', () => ComposeService.Templates(conversationId));
}

/** draftTemplate stores a template reply as a draft; it is submitted and approved like any reply. */
export function draftTemplate(conversationId: number, template: ReplyTemplate): Promise<Reply> {
  return call('ComposeService.DraftTemplate', () => ComposeService.DraftTemplate(conversationId, template as drafts.ReplyTemplate), normReply);
}
