// Strings of the approval queue and its desktop notifications. Merged into the
// dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const approvalEn = {
  'approval.title': 'Waiting for approval',
  'approval.empty': 'No replies are waiting for approval.',
  'approval.count': { one: '{count} reply waits for approval', other: '{count} replies wait for approval' },
  'approval.crisis': 'Crisis',
  'approval.by': 'Drafted by {name}',
  'approval.open': 'Open conversation',
  'approval.agentHint': 'Only an approver can approve these; they see this queue too.',
  'notify.approvalTitle': 'Approval requested',
  'notify.approvalBody': '{author} drafted a reply: {text}',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof approvalEn, Entry>;

export const approvalRu: Dict = {
  'approval.title': 'Ждут одобрения',
  'approval.empty': 'Нет ответов, ожидающих одобрения.',
  'approval.count': {
    one: '{count} ответ ждёт одобрения',
    few: '{count} ответа ждут одобрения',
    many: '{count} ответов ждут одобрения',
    other: '{count} ответа ждут одобрения',
  },
  'approval.crisis': 'Кризис',
  'approval.by': 'Черновик: {name}',
  'approval.open': 'Открыть диалог',
  'approval.agentHint': 'Одобрить их может только согласующий; он видит эту же очередь.',
  'notify.approvalTitle': 'Нужно одобрение',
  'notify.approvalBody': '{author} подготовил(а) ответ: {text}',
};

export const approvalDe: Dict = {
  'approval.title': 'Warten auf Freigabe',
  'approval.empty': 'Keine Antworten warten auf Freigabe.',
  'approval.count': { one: '{count} Antwort wartet auf Freigabe', other: '{count} Antworten warten auf Freigabe' },
  'approval.crisis': 'Krise',
  'approval.by': 'Entwurf von {name}',
  'approval.open': 'Unterhaltung öffnen',
  'approval.agentHint': 'Nur Freigebende können diese Antworten freigeben; sie sehen dieselbe Liste.',
  'notify.approvalTitle': 'Freigabe angefordert',
  'notify.approvalBody': '{author} hat eine Antwort entworfen: {text}',
};
