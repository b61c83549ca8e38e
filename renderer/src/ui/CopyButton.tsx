/** "Copy" for a value the user must take away (an access key's secret), saying whether it worked. */
import { useState, type ReactNode } from 'react';
import { Button } from './Button';

/** The Clipboard API needs a secure context (https or localhost): elsewhere the button says to select and copy. */
async function copyText(text: string): Promise<void> {
  if (!globalThis.isSecureContext || !globalThis.navigator?.clipboard) throw new Error('no clipboard here');
  await navigator.clipboard.writeText(text);
}

export function CopyButton({ value, testId }: { value: string; testId: string }): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <Button
      size="sm"
      onClick={() =>
        void copyText(value).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
      title={state === 'failed' ? 'The browser refused: select the text and copy it' : 'Copy to the clipboard'}
      data-testid={testId}
      data-state={state}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select and copy it' : 'Copy'}
    </Button>
  );
}
