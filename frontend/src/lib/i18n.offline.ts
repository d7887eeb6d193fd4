// Strings of team mode's offline banner, the access-lost banner's way back, the kept drafts, the "sent meanwhile"
// question and the notes on what only some roles may change. Merged into the
// dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const offlineEn = {
  'offline.banner': 'Server unreachable — retrying',
  'offline.bannerHint': 'What is loaded stays readable; replies you write are kept on this computer and saved when the server answers.',
  'offline.retryNow': 'Retry now',
  'access.joinAgain': 'Join again',
  'access.signInAgain': 'Sign in again',
  'offline.kept': 'Kept on this computer; it is saved when the server answers again.',
  'offline.keptRestored': 'Your text from while the server was unreachable is back in the editor.',
  'offline.supersede': 'Another reply was sent at {time} — send this one too?',
  'offline.supersedeNoTime': 'Another reply was sent after this one was drafted — send this one too?',
  'offline.supersedeYes': 'Send this one too',
  'offline.supersedeNo': 'Keep it back',
  'perm.readOnly': 'Only an admin can change these settings; you see them as they are.',
  'perm.accounts': 'Only an admin can add, change, test or remove channel accounts.',
  'error.code.reply-superseded': 'Another reply was sent in this conversation after this one was drafted.',
  'error.next.reply-superseded': 'Read the thread again, then decide whether this reply should go out too.',
} satisfies Record<string, Entry>;

type Dict = Record<keyof typeof offlineEn, Entry>;

export const offlineRu: Dict = {
  'offline.banner': 'Сервер недоступен — повторяем попытку',
  'offline.bannerHint': 'Загруженное остаётся доступным для чтения; ответы, которые вы пишете, хранятся на этом компьютере и сохранятся, когда сервер ответит.',
  'offline.retryNow': 'Повторить сейчас',
  'access.joinAgain': 'Подключиться заново',
  'access.signInAgain': 'Войти снова',
  'offline.kept': 'Сохранено на этом компьютере; отправится на сервер, когда он снова ответит.',
  'offline.keptRestored': 'Текст, написанный без связи с сервером, возвращён в редактор.',
  'offline.supersede': 'В {time} уже был отправлен другой ответ — отправить и этот?',
  'offline.supersedeNoTime': 'После этого черновика уже был отправлен другой ответ — отправить и этот?',
  'offline.supersedeYes': 'Отправить и этот',
  'offline.supersedeNo': 'Не отправлять',
  'perm.readOnly': 'Эти настройки может менять только администратор; вы видите их как есть.',
  'perm.accounts': 'Добавлять, менять, проверять и удалять аккаунты каналов может только администратор.',
  'error.code.reply-superseded': 'После этого черновика в диалоге уже был отправлен другой ответ.',
  'error.next.reply-superseded': 'Перечитайте переписку и решите, нужен ли ещё и этот ответ.',
};

export const offlineDe: Dict = {
  'offline.banner': 'Server nicht erreichbar — neuer Versuch läuft',
  'offline.bannerHint': 'Geladenes bleibt lesbar; Antworten, die Sie schreiben, bleiben auf diesem Computer und werden gespeichert, sobald der Server antwortet.',
  'offline.retryNow': 'Jetzt erneut versuchen',
  'access.joinAgain': 'Erneut beitreten',
  'access.signInAgain': 'Erneut anmelden',
  'offline.kept': 'Auf diesem Computer behalten; wird gespeichert, sobald der Server wieder antwortet.',
  'offline.keptRestored': 'Ihr Text aus der Zeit ohne Server ist wieder im Editor.',
  'offline.supersede': 'Um {time} wurde bereits eine andere Antwort gesendet — diese auch senden?',
  'offline.supersedeNoTime': 'Nach diesem Entwurf wurde bereits eine andere Antwort gesendet — diese auch senden?',
  'offline.supersedeYes': 'Diese auch senden',
  'offline.supersedeNo': 'Zurückhalten',
  'perm.readOnly': 'Nur ein Admin kann diese Einstellungen ändern; Sie sehen sie, wie sie sind.',
  'perm.accounts': 'Nur ein Admin kann Kanalkonten hinzufügen, ändern, testen oder entfernen.',
  'error.code.reply-superseded': 'Nach diesem Entwurf wurde in der Unterhaltung bereits eine andere Antwort gesendet.',
  'error.next.reply-superseded': 'Lesen Sie den Verlauf noch einmal und entscheiden Sie, ob diese Antwort auch hinausgehen soll.',
};
