// Strings of the account list and form in Settings: testing a form's account before it is
// saved, disabling, deleting (with what happens to the conversations) and the background
// sync's next attempt. Merged into the dictionaries in i18n.ts.
import type { Entry } from './i18n';

export const accountsEn = {
  'acctForm.test': 'Test connection',
  'acctForm.testing': 'Testing…',
  'acctForm.testOk': 'Connected: these settings and secrets work. Nothing is saved until you press Save.',

  'accounts.disabled': 'Disabled',
  'accounts.disabledNote': 'Not synced, and replies are not sent through it, until you enable it. Its settings, secrets and conversations stay.',
  'accounts.disable': 'Disable',
  'accounts.enable': 'Enable',
  'accounts.delete': 'Delete',
  'accounts.disabledDone': 'Account {name} is disabled.',
  'accounts.enabledDone': 'Account {name} is enabled and syncing again.',
  'accounts.deletedDone': 'Account {name} was deleted. Its conversations stay in the inbox, read-only.',
  'accounts.confirmTitle': 'Delete the account {name}?',
  'accounts.confirmWhat':
    'Stormdesk stops syncing it, removes its settings and deletes its password or token from the system keyring.',
  'accounts.confirmConversations': 'Its conversations stay in the inbox, read-only: you can read and search them, but not reply through this account.',
  'accounts.confirmQueued': 'Replies still waiting to be sent are not sent.',
  'accounts.confirmAgain': 'Adding an account named {name} again later reconnects its conversations.',
  'accounts.confirmDelete': 'Delete account',
  'accounts.cancel': 'Cancel',
  'accounts.nextAttempt': {
    one: 'Sync failed; next attempt at {time} ({rel}).',
    other: 'Sync failed {count} times in a row; next attempt at {time} ({rel}).',
  },
  'accounts.retryingNow': 'Sync failed; trying again now.',
} satisfies Record<string, Entry>;

type AccountsKey = keyof typeof accountsEn;

export const accountsRu: Record<AccountsKey, Entry> = {
  'acctForm.test': 'Проверить подключение',
  'acctForm.testing': 'Проверяем…',
  'acctForm.testOk': 'Подключение работает: параметры и секреты верны. Ничего не сохранено, пока вы не нажмёте «Сохранить».',

  'accounts.disabled': 'Отключён',
  'accounts.disabledNote':
    'Не синхронизируется, и ответы через него не отправляются, пока вы его не включите. Параметры, секреты и переписки сохраняются.',
  'accounts.disable': 'Отключить',
  'accounts.enable': 'Включить',
  'accounts.delete': 'Удалить',
  'accounts.disabledDone': 'Аккаунт {name} отключён.',
  'accounts.enabledDone': 'Аккаунт {name} включён и снова синхронизируется.',
  'accounts.deletedDone': 'Аккаунт {name} удалён. Его переписки остаются во входящих, только для чтения.',
  'accounts.confirmTitle': 'Удалить аккаунт {name}?',
  'accounts.confirmWhat':
    'Stormdesk перестанет его синхронизировать, удалит его параметры и сотрёт пароль или токен из системного хранилища ключей.',
  'accounts.confirmConversations': 'Его переписки останутся во входящих только для чтения: их можно читать и искать, но нельзя отвечать через этот аккаунт.',
  'accounts.confirmQueued': 'Ответы, ожидающие отправки, отправлены не будут.',
  'accounts.confirmAgain': 'Если позже снова добавить аккаунт с именем {name}, его переписки снова подключатся.',
  'accounts.confirmDelete': 'Удалить аккаунт',
  'accounts.cancel': 'Отмена',
  'accounts.nextAttempt': {
    one: 'Синхронизация не удалась; следующая попытка в {time} ({rel}).',
    few: 'Синхронизация не удалась {count} раза подряд; следующая попытка в {time} ({rel}).',
    many: 'Синхронизация не удалась {count} раз подряд; следующая попытка в {time} ({rel}).',
    other: 'Синхронизация не удалась {count} раза подряд; следующая попытка в {time} ({rel}).',
  },
  'accounts.retryingNow': 'Синхронизация не удалась; повторяем попытку.',
};

export const accountsDe: Record<AccountsKey, Entry> = {
  'acctForm.test': 'Verbindung testen',
  'acctForm.testing': 'Wird getestet…',
  'acctForm.testOk': 'Verbunden: Diese Einstellungen und Zugangsdaten funktionieren. Gespeichert wird erst mit „Speichern“.',

  'accounts.disabled': 'Deaktiviert',
  'accounts.disabledNote':
    'Wird nicht synchronisiert, und Antworten werden darüber nicht gesendet, bis Sie es aktivieren. Einstellungen, Zugangsdaten und Unterhaltungen bleiben erhalten.',
  'accounts.disable': 'Deaktivieren',
  'accounts.enable': 'Aktivieren',
  'accounts.delete': 'Löschen',
  'accounts.disabledDone': 'Das Konto {name} ist deaktiviert.',
  'accounts.enabledDone': 'Das Konto {name} ist aktiviert und wird wieder synchronisiert.',
  'accounts.deletedDone': 'Das Konto {name} wurde gelöscht. Seine Unterhaltungen bleiben schreibgeschützt im Posteingang.',
  'accounts.confirmTitle': 'Konto {name} löschen?',
  'accounts.confirmWhat':
    'Stormdesk synchronisiert es nicht mehr, entfernt seine Einstellungen und löscht sein Passwort oder Token aus dem Schlüsselbund des Systems.',
  'accounts.confirmConversations': 'Seine Unterhaltungen bleiben schreibgeschützt im Posteingang: Sie können sie lesen und durchsuchen, aber nicht über dieses Konto antworten.',
  'accounts.confirmQueued': 'Antworten, die noch auf den Versand warten, werden nicht gesendet.',
  'accounts.confirmAgain': 'Wenn Sie später wieder ein Konto namens {name} hinzufügen, werden seine Unterhaltungen erneut verbunden.',
  'accounts.confirmDelete': 'Konto löschen',
  'accounts.cancel': 'Abbrechen',
  'accounts.nextAttempt': {
    one: 'Synchronisierung fehlgeschlagen; nächster Versuch um {time} ({rel}).',
    other: 'Synchronisierung {count}-mal in Folge fehlgeschlagen; nächster Versuch um {time} ({rel}).',
  },
  'accounts.retryingNow': 'Synchronisierung fehlgeschlagen; neuer Versuch läuft.',
};
