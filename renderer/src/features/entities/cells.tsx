/** Table cells shared by entity configurations. */
import { useState, type ReactNode } from 'react';
import { Badge } from '../../ui/Page';
import { useSession } from '../../app/session';
import { ROLE_LABELS, isRole } from '@contract/permissions';

export function Mono({ children }: { children: ReactNode }): ReactNode {
  return <span className="font-mono text-[13px]">{children}</span>;
}

export function Muted({ children }: { children: ReactNode }): ReactNode {
  return <span className="text-zinc-500">{children}</span>;
}

export function Secret({ value, testId, initiallyShown = false }: { value: string; testId?: string; initiallyShown?: boolean }): ReactNode {
  const [shown, setShown] = useState(initiallyShown);
  return (
    <span className="inline-flex items-center gap-2">
      <span className="select-all break-all font-mono text-[13px]" data-testid={testId}>
        {shown ? value : '••••••••••••'}
      </span>
      <button type="button" className="text-xs text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
      </button>
    </span>
  );
}

/** A user's roles by their labels (the role id as the tooltip). */
export function Roles({ roles }: { roles: readonly string[] }): ReactNode {
  return (
    <span className="flex flex-wrap gap-1">
      {roles.map((r) => (
        <span key={r} title={r}>
          <Badge>{isRole(r) ? ROLE_LABELS[r] : r}</Badge>
        </span>
      ))}
    </span>
  );
}

export function str(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** A file service's public URL (no sign-in: anyone with the link), on the stack of the active profile. */
export function FileServiceUrl({ id, disabled }: { id: string; disabled: boolean }): ReactNode {
  const { profile } = useSession();
  const url = `${profile.baseUrl.replace(/\/+$/, '')}/api/v1/fs/${encodeURIComponent(id)}/`;
  if (disabled) return <Muted>{url} (disabled)</Muted>;
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      className="font-mono text-[13px] text-indigo-700 hover:underline dark:text-indigo-300"
      data-testid={`file-service-url-${id}`}
    >
      {url}
    </a>
  );
}

/** Where the active profile's stack answers: its URL, or this page's origin for the stack serving the console. */
export function useStackOrigin(): string {
  const { profile } = useSession();
  return profile.baseUrl.replace(/\/+$/, '') || window.location.origin;
}

/** A URL to read and copy (the copy says it was copied for a moment). At least 14rem wide: squeezed by a narrow window it broke every few characters; the table scrolls sideways instead. */
function CopyableUrl({ url, testId }: { url: string; testId: string }): ReactNode {
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    void navigator.clipboard.writeText(url).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <span className="flex items-center gap-1.5">
      <span className="min-w-56 select-all break-all font-mono text-[12px] text-zinc-600 dark:text-zinc-300" data-testid={testId}>
        {url}
      </span>
      <button type="button" className="shrink-0 text-xs text-indigo-600 hover:underline dark:text-indigo-400" onClick={copy} title={`Copy ${url}`} data-testid={`${testId}-copy`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

/** An API's full URL, and for a sync API its simplified form too (kwargs straight from the query or body). */
export function ApiUrls({ kind, id }: { kind: 'sync' | 'async'; id: string }): ReactNode {
  const url = `${useStackOrigin()}/api/v1/${kind}/${encodeURIComponent(id)}`;
  return (
    <span className="block space-y-0.5">
      <CopyableUrl url={url} testId={`api-url-${id}`} />
      {kind === 'sync' ? <CopyableUrl url={`${url}/simplified`} testId={`api-url-simplified-${id}`} /> : null}
    </span>
  );
}
