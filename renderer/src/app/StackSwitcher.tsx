/** Picks the stack the console talks to: this one (signed in), or a remote stack by URL with an access key. */
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from './session';
import { Select } from '../ui/Field';
import { AddRemoteStack, type RemoteStackInput } from './AddRemoteStack';

export function StackSwitcher(): ReactNode {
  const { profiles, profile, switchTo, addProfile, removeProfile } = useSession();
  const [adding, setAdding] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const change = (id: string): void => {
    if (id === '__add') return setAdding(true);
    switchTo(id);
    qc.clear();
    void navigate('/overview');
  };
  const added = (input: RemoteStackInput): void => {
    const p = addProfile(input.name, input.baseUrl, input.accessKey);
    setAdding(false);
    change(p.id);
  };
  const forget = (): void => {
    removeProfile(profile.id);
    qc.clear();
    void navigate('/overview');
  };
  return (
    <div className="space-y-1.5">
      <Select aria-label="Stack" value={profile.id} onChange={(e) => change(e.target.value)} data-testid="stack-switcher">
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>{p.name}{p.baseUrl && p.name !== p.baseUrl ? ` — ${p.baseUrl}` : ''}</option>
        ))}
        <option value="__add">+ Add a remote stack…</option>
      </Select>
      {profile.accessKey ? (
        <div className="flex items-center justify-between gap-2 px-1 text-[11px] text-zinc-500" data-testid="stack-key">
          <span className="truncate" title={profile.baseUrl}>{profile.accessKey.id} · ••••••••</span>
          <button type="button" className="shrink-0 underline hover:text-zinc-800 dark:hover:text-zinc-200" onClick={forget} data-testid="stack-forget">Forget</button>
        </div>
      ) : null}
      {adding ? <AddRemoteStack open onClose={() => setAdding(false)} onAdded={added} /> : null}
    </div>
  );
}
