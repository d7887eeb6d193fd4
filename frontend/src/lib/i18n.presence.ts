// Strings of presence (who is viewing or typing, the composer's collision warning) and
// of round-robin assignment in Settings. Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const presenceEn = {
  'presence.label': 'Who else is here',
  'presence.viewing': { one: '{names} is viewing', other: '{names} are viewing' },
  'presence.typing': { one: '{names} is typing…', other: '{names} are typing…' },
  'presence.marker': 'Open by {names}',
  'presence.replying': { one: '{names} is replying to this conversation', other: '{names} are replying to this conversation' },
  'presence.replyingHint': 'Two replies to one customer confuse them. Wait for it, or go on if you agreed to write it.',
  'presence.replyAnyway': 'Reply anyway',
  'presence.online': 'Also online: {names}',
  'assignment.title': 'Assignment',
  'assignment.hint': 'On the team server: hand each new unassigned conversation to the next online member in turn.',
  'assignment.roundRobin': 'Round-robin assignment of new conversations',
  'assignment.cap': 'Most open conversations per member (0: no limit)',
  'assignment.capHint': 'A member at the limit is skipped until they close one.',
  'assignment.save': 'Save assignment',
  'assignment.saved': 'Saved',
  'assignment.readOnly': 'Only an admin changes assignment.',
} satisfies Record<string, Entry>;

export const presenceRu: Record<keyof typeof presenceEn, Entry> = {
  'presence.label': 'Кто ещё здесь',
  'presence.viewing': { one: '{names} просматривает', few: '{names} просматривают', many: '{names} просматривают', other: '{names} просматривают' },
  'presence.typing': { one: '{names} печатает…', few: '{names} печатают…', many: '{names} печатают…', other: '{names} печатают…' },
  'presence.marker': 'Открыт: {names}',
  'presence.replying': {
    one: '{names} отвечает в этом диалоге',
    few: '{names} отвечают в этом диалоге',
    many: '{names} отвечают в этом диалоге',
    other: '{names} отвечают в этом диалоге',
  },
  'presence.replyingHint': 'Два ответа одному клиенту сбивают его с толку. Подождите или продолжайте, если вы договорились, что ответите вы.',
  'presence.replyAnyway': 'Всё равно ответить',
  'presence.online': 'Ещё в сети: {names}',
  'assignment.title': 'Назначение',
  'assignment.hint': 'На сервере команды: каждый новый неназначенный диалог по очереди получает следующий участник в сети.',
  'assignment.roundRobin': 'Назначать новые диалоги по очереди',
  'assignment.cap': 'Не больше открытых диалогов на участника (0: без ограничения)',
  'assignment.capHint': 'Участник на пределе пропускается, пока не закроет диалог.',
  'assignment.save': 'Сохранить назначение',
  'assignment.saved': 'Сохранено',
  'assignment.readOnly': 'Назначение меняет только администратор.',
};

export const presenceDe: Record<keyof typeof presenceEn, Entry> = {
  'presence.label': 'Wer noch hier ist',
  'presence.viewing': { one: '{names} sieht sich das an', other: '{names} sehen sich das an' },
  'presence.typing': { one: '{names} schreibt…', other: '{names} schreiben…' },
  'presence.marker': 'Geöffnet von {names}',
  'presence.replying': { one: '{names} antwortet in dieser Unterhaltung', other: '{names} antworten in dieser Unterhaltung' },
  'presence.replyingHint': 'Zwei Antworten an einen Kunden verwirren ihn. Warten Sie, oder schreiben Sie weiter, wenn Sie es abgesprochen haben.',
  'presence.replyAnyway': 'Trotzdem antworten',
  'presence.online': 'Auch online: {names}',
  'assignment.title': 'Zuweisung',
  'assignment.hint': 'Auf dem Team-Server: jede neue, nicht zugewiesene Unterhaltung geht reihum an das nächste Mitglied, das online ist.',
  'assignment.roundRobin': 'Neue Unterhaltungen reihum zuweisen',
  'assignment.cap': 'Höchstens offene Unterhaltungen je Mitglied (0: unbegrenzt)',
  'assignment.capHint': 'Wer die Grenze erreicht hat, wird übersprungen, bis er eine schließt.',
  'assignment.save': 'Zuweisung speichern',
  'assignment.saved': 'Gespeichert',
  'assignment.readOnly': 'Nur ein Admin ändert die Zuweisung.',
};
