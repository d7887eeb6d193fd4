// Strings of approval by one person: the self-review dialog and its checklist,
// the roles section of Settings, and the approval queue's warnings count.
// Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const reviewEn = {
  'compose.action.selfReview': 'Review & send…',
  'audit.self-review': 'approved by self-review',
  'review.title': 'Self-review before sending',
  'review.intro':
    'You are the only person in this workspace, so this reply is approved by your own second review. Read it again and confirm each rule.',
  'review.item.facts-from-kb': 'It states facts only from the knowledge base.',
  'review.item.no-unapproved-promises': 'It promises no compensation, refund, date or amount that was not approved.',
  'review.item.known-and-unknown': 'It says what is known and what is not known yet.',
  'review.item.next-update': 'It says when the next update will come.',
  'review.item.no-blame': 'It blames no one: not the customer, not staff, not a partner.',
  'review.warnings': {
    one: 'The reply still has {count} open warning (shown above the text); the audit keeps it.',
    other: 'The reply still has {count} open warnings (shown above the text); the audit keeps them.',
  },
  'review.note': 'Note for the audit (optional)',
  'review.progress': '{done} of {total} confirmed',
  'review.recorded': 'The audit records this approval as a self-review, with the checklist.',
  'review.confirm': 'Approve & send',
  'review.cancel': 'Cancel',
  'review.needed': 'Single-person workspace: you approve this reply by a self-review with the transparency checklist.',
  'review.auditChecklist': 'Checklist confirmed:',

  'roles.title': 'Roles and approval',
  'roles.me': 'You',
  'roles.role': 'Your role',
  'roles.role.agent': 'Agent',
  'roles.role.approver': 'Approver',
  'roles.singleRole': 'As the only person here you also approve replies, by a self-review where the rules ask for a second person.',
  'roles.mode': 'How approval works here',
  'roles.mode.single': 'Single-person workspace',
  'roles.single':
    'Nothing is sent before you approve it. Ordinary replies you approve yourself. Replies in crisis mode, and replies in threads with a suspected prompt injection, need your self-review: you tick the checklist below, and the audit records the approval as a self-review.',
  'roles.mode.team': 'Team workspace',
  'roles.team': 'In crisis mode a second person with the approver role must approve; nobody approves their own crisis reply.',
  'roles.teamLater': 'Teams, where a second person must approve, come with a later version.',
  'roles.checklist': 'The self-review checklist',

  'approval.warnings': { one: '{count} warning', other: '{count} warnings' },
  'approval.warningsTitle': 'Open warnings: claims nothing backs, suspected prompt injection',
  'approval.reason.crisis': 'Crisis mode: a second person with the approver role must approve.',
  'approval.reason.injection': 'The thread contains a suspected prompt injection.',
  'approval.reason.settings-injection': 'A brand setting or knowledge-base entry reads like instructions to the model.',
  'approval.selfHint': 'You approve these yourself: open one and choose “Review & send”.',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof reviewEn, Entry>;

export const reviewRu: Dict = {
  'compose.action.selfReview': 'Проверить и отправить…',
  'audit.self-review': 'утвердил(а) после самопроверки',
  'review.title': 'Самопроверка перед отправкой',
  'review.intro':
    'Вы единственный участник этого рабочего пространства, поэтому ответ утверждается вашей собственной повторной проверкой. Перечитайте его и подтвердите каждое правило.',
  'review.item.facts-from-kb': 'Факты в ответе взяты только из базы знаний.',
  'review.item.no-unapproved-promises': 'Ответ не обещает компенсаций, возвратов, сроков или сумм, которые не были согласованы.',
  'review.item.known-and-unknown': 'Ответ говорит, что уже известно и что пока неизвестно.',
  'review.item.next-update': 'Ответ называет, когда будет следующее обновление.',
  'review.item.no-blame': 'Ответ никого не обвиняет: ни клиента, ни сотрудников, ни партнёров.',
  'review.warnings': {
    one: 'У ответа осталось {count} открытое предупреждение (оно показано над текстом); журнал его сохранит.',
    few: 'У ответа осталось {count} открытых предупреждения (они показаны над текстом); журнал их сохранит.',
    many: 'У ответа осталось {count} открытых предупреждений (они показаны над текстом); журнал их сохранит.',
    other: 'У ответа осталось {count} открытого предупреждения (они показаны над текстом); журнал их сохранит.',
  },
  'review.note': 'Комментарий для журнала (необязательно)',
  'review.progress': 'Подтверждено {done} из {total}',
  'review.recorded': 'В журнале это утверждение будет записано как самопроверка вместе с чек-листом.',
  'review.confirm': 'Утвердить и отправить',
  'review.cancel': 'Отмена',
  'review.needed': 'Вы работаете в одиночку: этот ответ утверждается самопроверкой по чек-листу правил прозрачности.',
  'review.auditChecklist': 'Подтверждён чек-лист:',

  'roles.title': 'Роли и утверждение',
  'roles.me': 'Вы',
  'roles.role': 'Ваша роль',
  'roles.role.agent': 'Оператор',
  'roles.role.approver': 'Согласующий',
  'roles.singleRole': 'Вы здесь один, поэтому сами и утверждаете ответы — самопроверкой там, где правила требуют второго человека.',
  'roles.mode': 'Как здесь утверждаются ответы',
  'roles.mode.single': 'Рабочее пространство одного человека',
  'roles.single':
    'Ничего не отправляется без вашего утверждения. Обычные ответы вы утверждаете сами. Ответы в кризисном режиме и ответы в переписке с подозрением на промпт-инъекцию требуют самопроверки: вы отмечаете пункты чек-листа ниже, и журнал записывает утверждение как самопроверку.',
  'roles.mode.team': 'Командное рабочее пространство',
  'roles.team': 'В кризисном режиме ответ утверждает второй человек с ролью согласующего; свой кризисный ответ никто не утверждает сам.',
  'roles.teamLater': 'Команды, где ответ утверждает второй человек, появятся в одной из следующих версий.',
  'roles.checklist': 'Чек-лист самопроверки',

  'approval.warnings': { one: '{count} предупреждение', few: '{count} предупреждения', many: '{count} предупреждений', other: '{count} предупреждения' },
  'approval.warningsTitle': 'Открытые предупреждения: ничем не подтверждённые утверждения, подозрение на промпт-инъекцию',
  'approval.reason.crisis': 'Кризисный режим: ответ утверждает второй человек с ролью согласующего.',
  'approval.reason.injection': 'В переписке подозревается промпт-инъекция.',
  'approval.reason.settings-injection': 'Настройка бренда или статья базы знаний похожа на указания для модели.',
  'approval.selfHint': 'Эти ответы вы утверждаете сами: откройте ответ и нажмите «Проверить и отправить».',
};

export const reviewDe: Dict = {
  'compose.action.selfReview': 'Prüfen und senden…',
  'audit.self-review': 'nach Selbstprüfung freigegeben',
  'review.title': 'Selbstprüfung vor dem Senden',
  'review.intro':
    'Sie sind die einzige Person in diesem Arbeitsbereich, deshalb geben Sie diese Antwort mit einer eigenen zweiten Prüfung frei. Lesen Sie sie noch einmal und bestätigen Sie jede Regel.',
  'review.item.facts-from-kb': 'Sie nennt nur Fakten aus der Wissensdatenbank.',
  'review.item.no-unapproved-promises': 'Sie verspricht keine Entschädigung, Erstattung, Frist oder Summe, die nicht abgestimmt ist.',
  'review.item.known-and-unknown': 'Sie sagt, was bekannt ist und was noch nicht.',
  'review.item.next-update': 'Sie sagt, wann das nächste Update kommt.',
  'review.item.no-blame': 'Sie gibt niemandem die Schuld: weder der Kundschaft noch dem Team noch einem Partner.',
  'review.warnings': {
    one: 'Die Antwort hat noch {count} offene Warnung (über dem Text); das Protokoll hält sie fest.',
    other: 'Die Antwort hat noch {count} offene Warnungen (über dem Text); das Protokoll hält sie fest.',
  },
  'review.note': 'Notiz für das Protokoll (optional)',
  'review.progress': '{done} von {total} bestätigt',
  'review.recorded': 'Das Protokoll vermerkt diese Freigabe als Selbstprüfung, mit der Checkliste.',
  'review.confirm': 'Freigeben und senden',
  'review.cancel': 'Abbrechen',
  'review.needed': 'Einzelarbeitsbereich: Sie geben diese Antwort mit einer Selbstprüfung anhand der Transparenz-Checkliste frei.',
  'review.auditChecklist': 'Bestätigte Checkliste:',

  'roles.title': 'Rollen und Freigabe',
  'roles.me': 'Sie',
  'roles.role': 'Ihre Rolle',
  'roles.role.agent': 'Bearbeiter*in',
  'roles.role.approver': 'Freigebende*r',
  'roles.singleRole': 'Als einzige Person hier geben Sie Antworten auch frei – mit einer Selbstprüfung, wo die Regeln eine zweite Person verlangen.',
  'roles.mode': 'So funktioniert die Freigabe hier',
  'roles.mode.single': 'Einzelarbeitsbereich',
  'roles.single':
    'Nichts wird gesendet, bevor Sie es freigeben. Gewöhnliche Antworten geben Sie selbst frei. Antworten im Krisenmodus und Antworten in Verläufen mit Verdacht auf Prompt-Injection brauchen Ihre Selbstprüfung: Sie haken die Checkliste unten ab, und das Protokoll vermerkt die Freigabe als Selbstprüfung.',
  'roles.mode.team': 'Team-Arbeitsbereich',
  'roles.team': 'Im Krisenmodus muss eine zweite Person mit Freigaberecht zustimmen; niemand gibt die eigene Krisenantwort frei.',
  'roles.teamLater': 'Teams, in denen eine zweite Person freigeben muss, kommen mit einer späteren Version.',
  'roles.checklist': 'Die Checkliste der Selbstprüfung',

  'approval.warnings': { one: '{count} Warnung', other: '{count} Warnungen' },
  'approval.warningsTitle': 'Offene Warnungen: nicht belegte Angaben, Verdacht auf Prompt-Injection',
  'approval.reason.crisis': 'Krisenmodus: Eine zweite Person mit Freigaberecht muss freigeben.',
  'approval.reason.injection': 'Im Verlauf gibt es einen Verdacht auf Prompt-Injection.',
  'approval.reason.settings-injection': 'Eine Markeneinstellung oder ein Wissensdatenbank-Eintrag liest sich wie eine Anweisung an das Modell.',
  'approval.selfHint': 'Diese Antworten geben Sie selbst frei: Öffnen Sie eine und wählen Sie „Prüfen und senden“.',
};
