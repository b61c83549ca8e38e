/**
 * What the conflict view says above its diff. Their saved draft may be empty (they cleared it): the
 * diff then shows only our text, and must not call it "All new" under "their saved draft".
 */
export interface ConflictCaption {
  caption: string;
  /** What the diff says above our text when theirs is empty (`DiffView`'s `emptyOriginalLabel`). */
  emptyOriginalLabel: string;
}

const SAVED = 'Someone saved this script after you opened it.';

export function conflictCaption(theirs: string, mine: string): ConflictCaption {
  if (theirs === '')
    return {
      caption: `${SAVED} They cleared the draft: their saved draft is empty. Below: your version.`,
      emptyOriginalLabel: 'Their draft is empty. Yours',
    };
  if (mine === '') return { caption: `${SAVED} Left: their saved draft. Right: your version, which is empty.`, emptyOriginalLabel: 'All new' };
  return { caption: `${SAVED} Left: their saved draft. Right: your version.`, emptyOriginalLabel: 'All new' };
}
