// SLAService: the SLA policy set, edited as JSON text in Settings.
import * as SLAService from '../../../wailsjs/go/main/SLAService';
import { call } from './call';

/** slaPolicies returns the stored SLA policy set as indented JSON. */
export function slaPolicies(): Promise<string> {
  return call('SLAService.Policies', () => SLAService.Policies());
}

/** saveSlaPolicies stores a policy set; Go's error lists every problem, one per line. */
export function saveSlaPolicies(json: string): Promise<void> {
  return call('SLAService.SavePolicies', () => SLAService.SavePolicies(json));
}
