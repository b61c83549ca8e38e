import { describe, expect, it } from 'vitest';
import { forgetScriptSaves, openScriptSaves, queueWrite } from './draft-saves';

const stored = { codeDraft: 'x = 1\n', codeDraftMD5: 'md5-1' };

describe("a script's draft saves", () => {
  it('come back with the script while on their way or left unsaved, and start afresh otherwise', async () => {
    forgetScriptSaves();
    const entry = openScriptSaves('s1', stored);
    let answer!: (ok: boolean) => void;
    void queueWrite(entry, 'x = 2\n', () => new Promise<boolean>((r) => (answer = r)));
    // Opened again while the write is on its way: the same saves, their text.
    expect(openScriptSaves('s1', stored)).toBe(entry);
    expect(entry.lastText).toBe('x = 2\n');
    await new Promise((r) => setTimeout(r, 0));
    answer(true);
    await entry.queue;
    entry.left = { text: 'x = 3\n', error: 'network', conflict: null };
    expect(openScriptSaves('s1', stored)).toBe(entry);
    entry.left = null;
    expect(openScriptSaves('s1', stored)).not.toBe(entry);
  });

  it('are forgotten when the user signs out or another stack is chosen (the next user does not get them)', () => {
    const entry = openScriptSaves('s2', stored);
    entry.left = { text: 'secret edits', error: 'network', conflict: null };
    forgetScriptSaves();
    const fresh = openScriptSaves('s2', stored);
    expect(fresh).not.toBe(entry);
    expect(fresh.left).toBeNull();
    expect(fresh.lastText).toBe('x = 1\n');
  });
});
