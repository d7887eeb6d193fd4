import { describe, expect, it } from 'vitest';
import { allows, TEAM_ACTIONS, type TeamAction } from './permissions';

// What each role's Info lists (backend/team's table, as TestTeamPermissions
// checks Info against it): the page offers an action exactly when it is listed.
const ROLE_ACTIONS: Record<string, TeamAction[]> = {
  agent: ['read', 'work'],
  approver: ['read', 'work', 'approve', 'send', 'moderate', 'crisis-mode'],
  admin: [...TEAM_ACTIONS],
};

describe('allows', () => {
  it.each(Object.entries(ROLE_ACTIONS))('offers a %s exactly the actions Info lists', (_, actions) => {
    for (const a of TEAM_ACTIONS) expect(allows({ actions }, a)).toBe(actions.includes(a));
  });

  it('before Info answers offers only reading and working', () => {
    for (const info of [null, undefined, { actions: undefined as unknown as string[] }]) {
      expect(TEAM_ACTIONS.filter((a) => allows(info, a))).toEqual(['read', 'work']);
    }
  });

  it('an action Info does not know is refused', () => {
    expect(allows({ actions: ['read', 'everything'] }, 'members')).toBe(false);
  });
});
