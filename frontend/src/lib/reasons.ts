// Words why a reply needs an approver (drafts.Reason* codes) in the UI's language; a
// reason stored before codes existed is English text and is shown as it is.
import { hasKey, t } from './i18n';

export function approvalReason(reason: string): string {
  const key = `approval.reason.${reason}`;
  return hasKey(key) ? t(key) : reason;
}
