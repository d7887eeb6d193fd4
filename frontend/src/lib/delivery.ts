// How a sent reply's delivery status reads in the thread: which words, which icon,
// and for a failure the platform's reason in the person's language. Pure, so the
// rules are tested without a component (delivery.test.ts).
import type { DeliveryStatus, MessageDelivery } from './api';
import type { Key, Params } from './i18n';
import { deliveryEn } from './i18n.delivery';

export type DeliveryIcon = 'check' | 'checks' | 'alert';

export interface DeliveryLine {
  status: DeliveryStatus;
  /** The visible word: Sent, Delivered, Read, Not delivered. */
  label: Key;
  icon: DeliveryIcon;
  at: string;
  /** Why it failed, in the person's language; null unless failed. */
  reason: { key: Key; params: Params } | null;
  /** The platform's own words and code (English, for support); null when it gave none. */
  platform: { key: Key; params: Params } | null;
}

const ICONS: Record<DeliveryStatus, DeliveryIcon> = { sent: 'check', delivered: 'checks', read: 'checks', failed: 'alert' };

function known(status: string): status is DeliveryStatus {
  return status in ICONS;
}

/** deliveryLine words one delivery status; null for none, or a status this build does not know. */
export function deliveryLine(d: MessageDelivery | undefined | null): DeliveryLine | null {
  if (!d || !known(d.status)) return null;
  const line: DeliveryLine = { status: d.status, label: `delivery.${d.status}` as Key, icon: ICONS[d.status], at: d.at, reason: null, platform: null };
  if (d.status !== 'failed') return line;
  const reasonKey = `delivery.reason.${d.reason}`;
  if (d.reason && reasonKey in deliveryEn) line.reason = { key: reasonKey as Key, params: {} };
  if (d.error) line.platform = { key: 'delivery.platformSaid', params: { error: d.error, code: String(d.errorCode) } };
  // Neither a reason we word nor the platform's text: at least the code.
  if (!line.reason && !line.platform) line.reason = { key: 'delivery.reason.none', params: { code: String(d.errorCode) } };
  return line;
}

/** deliveriesByMessage indexes a thread's deliveries by the sent message's external id. */
export function deliveriesByMessage(ds: MessageDelivery[] | null | undefined): Map<string, MessageDelivery> {
  const out = new Map<string, MessageDelivery>();
  for (const d of ds ?? []) if (d.externalId) out.set(d.externalId, d);
  return out;
}

/**
 * deliveriesByReply indexes a thread's deliveries by reply id, for the composer's
 * reply history; empty when the thread open is not the composer's conversation
 * (the two load apart, and a status must not land on another conversation's reply).
 */
export function deliveriesByReply(
  thread: { conversation: { id: number }; deliveries: MessageDelivery[] | null } | null | undefined,
  conversationId: number | null,
): Map<string, MessageDelivery> {
  const out = new Map<string, MessageDelivery>();
  if (!thread || conversationId === null || thread.conversation.id !== conversationId) return out;
  for (const d of thread.deliveries ?? []) if (d.replyId) out.set(d.replyId, d);
  return out;
}
