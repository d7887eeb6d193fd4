// ListeningService.Kinds: each listening source kind's settings fields and secrets,
// for the settings form (docs/listening.md, "Sources in Settings").
import * as ListeningService from '../../../wailsjs/go/main/ListeningService';
import type { workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain } from './types';

export type ListeningFieldType = 'text' | 'number' | 'list';
export type ListeningSettingField = { name: string; type: ListeningFieldType; optional: boolean };
export type ListeningSecret = { name: string; label: string; required: boolean };
export type ListeningKindInfo = { kind: string; fields: ListeningSettingField[]; secrets: ListeningSecret[] };

function normKind(k: Plain<workspace.ListeningKindInfo>): ListeningKindInfo {
  return {
    kind: k.kind,
    fields: (k.fields ?? []).map((f) => ({ ...f, type: f.type as ListeningFieldType })),
    secrets: (k.secrets ?? []).map((s) => ({ ...s })),
  };
}

export function listeningKinds(): Promise<ListeningKindInfo[]> {
  return call('ListeningService.Kinds', () => ListeningService.Kinds(), (ks) => (ks ?? []).map(normKind));
}
