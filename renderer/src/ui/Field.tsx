import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

export const inputClass =
  'w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm text-zinc-900 placeholder:text-zinc-400 dark:placeholder:text-zinc-600 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

export interface FieldProps {
  label: string;
  error?: string | null;
  hint?: string;
  children: ReactNode;
  testId?: string;
}

export function Field({ label, error, hint, children, testId }: FieldProps): ReactNode {
  return (
    <label className="block space-y-1">
      <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</span>
      {children}
      {error ? (
        <span className="block text-xs text-red-600 dark:text-red-400" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </span>
      ) : hint ? (
        <span className="block text-xs text-zinc-500">{hint}</span>
      ) : null}
    </label>
  );
}

export function TextInput({ className = '', ...rest }: InputHTMLAttributes<HTMLInputElement>): ReactNode {
  return <input className={`${inputClass} h-9 ${className}`} {...rest} />;
}

export function TextArea({ className = '', ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement>): ReactNode {
  return <textarea className={`${inputClass} font-mono ${className}`} {...rest} />;
}

/** A select; `options` (each its own value and label) follow the option elements given as children. */
export function Select({ className = '', options, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { options?: readonly string[] }): ReactNode {
  return (
    <select className={`${inputClass} h-9 ${className}`} {...rest}>
      {children}
      {options?.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}
