/** Picks the stack the console talks to: this one, or a remote stack by URL. */
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from './session';
import { Dialog } from '../ui/Dialog';
import { Button } from '../ui/Button';
import { Field, Select, TextInput } from '../ui/Field';

export function StackSwitcher(): ReactNode {
  const { profiles, profile, switchTo, addProfile } = useSession();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const change = (id: string): void => {
    if (id === '__add') return setAdding(true);
    switchTo(id);
    qc.clear();
    void navigate('/overview');
  };
  const add = (): void => {
    const p = addProfile(name.trim() || url, url.trim());
    setAdding(false);
    change(p.id);
  };
  return (
    <>
      <Select aria-label="Stack" value={profile.id} onChange={(e) => change(e.target.value)} data-testid="stack-switcher">
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>{p.name}{p.baseUrl ? ` — ${p.baseUrl}` : ''}</option>
        ))}
        <option value="__add">+ Add a remote stack…</option>
      </Select>
      <Dialog open={adding} title="Add a remote stack" onClose={() => setAdding(false)} footer={<><Button onClick={() => setAdding(false)}>Cancel</Button><Button variant="primary" disabled={!/^https?:\/\//.test(url)} onClick={add}>Add</Button></>}>
        <div className="space-y-3">
          <Field label="Name"><TextInput value={name} onChange={(e) => setName(e.target.value)} placeholder="staging" /></Field>
          <Field label="URL" hint="The stack must allow this console's origin (CORS)."><TextInput value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://func.example.com" /></Field>
        </div>
      </Dialog>
    </>
  );
}
