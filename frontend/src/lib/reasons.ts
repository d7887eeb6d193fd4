// Words why a reply needs an approver (drafts.Reason* codes) in the UI's language; a
// reason stored before codes existed is English text and is shown as it is.
import { tCode } from './i18n';

export function approvalReason(reason: string): string {
  return tCode(`approval.reason.${reason}`, reason);
}
