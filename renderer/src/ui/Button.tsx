import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'dangerGhost';
const styles: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-600/50',
  secondary: 'border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800',
  danger: 'border border-red-300 bg-white text-red-700 hover:bg-red-50 dark:border-red-900 dark:bg-zinc-900 dark:text-red-400 dark:hover:bg-red-950',
  dangerGhost: 'text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50',
  ghost: 'text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: 'sm' | 'md';
}

export function Button({ variant = 'secondary', size = 'md', className = '', type = 'button', ...rest }: ButtonProps): ReactNode {
  const pad = size === 'sm' ? 'h-7 px-2.5 text-xs' : 'h-9 px-3.5 text-sm';
  return (
    <button
      type={type}
      className={`inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap rounded-md font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-60 ${pad} ${styles[variant]} ${className}`}
      {...rest}
    />
  );
}

/**
 * The buttons at the end of a form: Cancel, the extra `children`, then the primary submit button;
 * `start` stands at the left end; `ruled` draws a line above them.
 */
export function FormButtons({
  onCancel,
  submitLabel,
  submitDisabled = false,
  submitTestId,
  start,
  ruled = false,
  children,
}: {
  onCancel: () => void;
  submitLabel: ReactNode;
  submitDisabled?: boolean;
  submitTestId: string;
  start?: ReactNode;
  ruled?: boolean;
  children?: ReactNode;
}): ReactNode {
  return (
    <div className={`flex justify-end gap-2 ${ruled ? 'border-t border-zinc-200 pt-3 dark:border-zinc-800' : 'pt-2'}`}>
      {start ? <div className="mr-auto">{start}</div> : null}
      <Button onClick={onCancel}>Cancel</Button>
      {children}
      <Button type="submit" variant="primary" disabled={submitDisabled} data-testid={submitTestId}>
        {submitLabel}
      </Button>
    </div>
  );
}
