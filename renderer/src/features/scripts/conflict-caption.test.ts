import { describe, expect, it } from 'vitest';
import { conflictCaption } from './conflict-caption';

describe('conflictCaption', () => {
  it('says their draft is empty when they cleared it, and does not call ours "All new"', () => {
    const shown = conflictCaption('', 'x = 1\n');
    expect(shown.caption).toContain('their saved draft is empty');
    expect(shown.caption).not.toContain('Left: their saved draft');
    expect(shown.emptyOriginalLabel).toBe('Their draft is empty. Yours');
    // Nothing new: not the green of a first publish's "All new".
    expect(shown.emptyOriginalTone).toBe('neutral');
  });

  it('keeps the green "All new" tone when only a diff of new code is shown', () => {
    expect(conflictCaption('x = 1\n', 'x = 2\n').emptyOriginalTone).toBe('new');
  });

  it('says our version is empty when we cleared it', () => {
    expect(conflictCaption('x = 1\n', '').caption).toContain('your version, which is empty');
  });

  it('names the two sides of an ordinary conflict', () => {
    expect(conflictCaption('x = 1\n', 'x = 2\n').caption).toBe('Someone saved this script after you opened it. Left: their saved draft. Right: your version.');
  });
});
