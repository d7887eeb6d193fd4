import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { presence } from '../lib/presence.svelte';
import CollisionWarning from './CollisionWarning.svelte';

describe('CollisionWarning', () => {
  it('names who is replying and lets this member go on', async () => {
    presence.me = 'Ann';
    presence.apply({ conversationId: 41, viewers: [{ name: 'Bob', typing: true }] });
    expect(presence.collisionWith(41)).toEqual(['Bob']);
    render(CollisionWarning, { conversationId: 41, names: presence.collisionWith(41) });
    expect(screen.getByRole('alert').textContent).toContain('Bob is replying to this conversation');
    await fireEvent.click(screen.getByRole('button', { name: 'Reply anyway' }));
    expect(presence.collisionWith(41)).toEqual([]);
  });
});
