/**
 * Picks the stack the console talks to: this one (signed in), or a remote stack by URL with an
 * access key. In the desktop app the list is the desktop's profiles (secrets kept by its main process).
 */
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from './session';
import { Select } from '../ui/Field';
import { AddRemoteStack } from './AddRemoteStack';
import { accessKeyIdOf, type StackProfile } from './profiles';
import { profilesDesktop } from './desktop';

export function StackSwitcher(): ReactNode {
  const { profiles, profile, switchTo, connectRemote, removeProfile } = useSession();
  const [adding, setAdding] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const inDesktop = profilesDesktop() !== undefined;
  const change = (id: string): void => {
    if (id === '__add') return setAdding(true);
    switchTo(id);
    qc.clear();
    void navigate('/overview');
  };
  const added = (p: StackProfile): void => {
    setAdding(false);
    change(p.id);
  };
  const forget = (): void => {
    removeProfile(profile.id);
    qc.clear();
    void navigate('/overview');
  };
  const keyId = accessKeyIdOf(profile);
  return (
    <div className="space-y-1.5">
      <Select aria-label="Stack" value={profile.id} onChange={(e) => change(e.target.value)} data-testid="stack-switcher">
        {profiles.map((p) => (
          // Docker endpoints are kept for scaling; operations go to a local or remote stack.
          <option key={p.id} value={p.id} disabled={p.kind === 'docker'}>
            {p.name}
            {p.baseUrl && p.name !== p.baseUrl ? ` — ${p.baseUrl}` : ''}
          </option>
        ))}
        <option value="__add">+ Add a remote stack…</option>
      </Select>
      {keyId !== undefined ? (
        <div className="flex items-center justify-between gap-2 px-1 text-[11px] text-zinc-500" data-testid="stack-key">
          <span className="truncate" title={profile.baseUrl}>
            {keyId} · {profile.hasSecret === false ? 'no secret' : '••••••••'}
          </span>
          <button type="button" className="shrink-0 underline hover:text-zinc-800 dark:hover:text-zinc-200" onClick={forget} data-testid="stack-forget">
            Forget
          </button>
        </div>
      ) : null}
      {adding ? <AddRemoteStack open onClose={() => setAdding(false)} onAdded={added} connect={connectRemote} inDesktop={inDesktop} /> : null}
    </div>
  );
}
