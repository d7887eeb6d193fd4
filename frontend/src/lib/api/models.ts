// ModelSettingsService: the drafting model (any OpenAI-compatible server; the key stays
// in the OS keyring) and retraining the offline sentiment model on corrected labels.
import * as ModelSettingsService from '../../../wailsjs/go/main/ModelSettingsService';
import { main } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain } from './types';

export type Provider = 'openai' | 'azure';
/** LLMConfig is the drafting settings as the UI edits them; extra is the rest (timeout, retry, …), sent back unchanged. */
export type LLMConfig = Pick<Plain<main.ModelSettings>, 'baseUrl' | 'model' | 'apiVersion'> & { provider: Provider; extra: Record<string, unknown> };
/** LLMState never carries the API key, only whether one is stored. */
export type LLMState = { settings: LLMConfig; hasApiKey: boolean };

/** normLLM splits Go's settings into the fields the form edits and the rest; an unknown provider is shown as OpenAI. */
export function normLLM(v: Plain<main.LLMSettings>): LLMState {
  const { provider, baseUrl, model, apiVersion, ...extra } = v.settings;
  return { settings: { provider: provider === 'azure' ? 'azure' : 'openai', baseUrl, model, apiVersion, extra }, hasApiKey: v.hasApiKey };
}

export function llmSettings(): Promise<LLMState> {
  return call('ModelSettingsService.LLM', () => ModelSettingsService.LLM(), normLLM);
}

/** saveLLM stores the settings; apiKey '' keeps the key already in the keyring. */
export function saveLLM(c: LLMConfig, apiKey: string): Promise<void> {
  const settings = { ...c.extra, provider: c.provider, baseUrl: c.baseUrl.trim(), model: c.model.trim(), apiVersion: c.apiVersion.trim() };
  // createFrom builds the generated class the binding is typed with from the plain settings.
  return call('ModelSettingsService.SaveLLM', () => ModelSettingsService.SaveLLM(main.LLMSettings.createFrom({ settings, apiKey })));
}

/** testLLM resolves with the server's model ids or rejects with Go's reason. */
export function testLLM(): Promise<string[]> {
  return call('ModelSettingsService.TestLLM', () => ModelSettingsService.TestLLM());
}

/** retrainSentiment learns the corrected labels; resolves with how many. */
export function retrainSentiment(): Promise<number> {
  return call('ModelSettingsService.RetrainSentiment', () => ModelSettingsService.RetrainSentiment());
}

/** SentimentModelInfo is the model scoring new messages: where it came from and under which licence. */
export type SentimentModelInfo = Plain<main.SentimentModelView>;

export function sentimentModel(): Promise<SentimentModelInfo> {
  return call('ModelSettingsService.SentimentModel', () => ModelSettingsService.SentimentModel());
}

/** importSentimentModel sends a model file's bytes; Go refuses anything that is not a Stormdesk model. */
export function importSentimentModel(contentBase64: string): Promise<SentimentModelInfo> {
  return call('ModelSettingsService.ImportSentimentModel', () => ModelSettingsService.ImportSentimentModel(contentBase64));
}

export function resetSentimentModel(): Promise<SentimentModelInfo> {
  return call('ModelSettingsService.ResetSentimentModel', () => ModelSettingsService.ResetSentimentModel());
}
