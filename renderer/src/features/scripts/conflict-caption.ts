/**
 * What the conflict view says above its diff. Their saved draft may be empty (they cleared it): the
 * diff then shows only our text, and must not call it "All new" under "their saved draft".
 */
import type { EmptyOriginalTone } from '../../editor/DiffView';

export interface ConflictCaption {
  caption: string;
  /** What the diff says above our text when theirs is empty (`DiffView`'s `emptyOriginalLabel`). */
  emptyOriginalLabel: string;
  /** Its colour: a cleared draft of theirs makes our text nothing new (`neutral`, not the green of `new`). */
  emptyOriginalTone: EmptyOriginalTone;
}

const SAVED = 'Someone saved this script after you opened it.';

export function conflictCaption(theirs: string, mine: string): ConflictCaption {
  if (theirs === '')
    return {
      caption: `${SAVED} They cleared the draft: their saved draft is empty. Below: your version.`,
      emptyOriginalLabel: 'Their draft is empty. Yours',
      emptyOriginalTone: 'neutral',
    };
  if (mine === '') return { caption: `${SAVED} Left: their saved draft. Right: your version, which is empty.`, emptyOriginalLabel: 'All new', emptyOriginalTone: 'new' };
  return { caption: `${SAVED} Left: their saved draft. Right: your version.`, emptyOriginalLabel: 'All new', emptyOriginalTone: 'new' };
}
