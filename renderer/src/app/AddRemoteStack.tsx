/** The dialog adding a remote stack: URL + access key, checked with one signed request before it is saved. */
import { useState, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Dialog } from '../ui/Dialog';
import { Button } from '../ui/Button';
import { Field, TextInput } from '../ui/Field';
import { ErrorBanner } from '../ui/States';
import type { StackProfile } from './profiles';
import type { RemoteStackInput } from './session';

export type { RemoteStackInput };

/** `connect` checks and keeps the profile (the session's `connectRemote`); `inDesktop` changes where the secret is said to be kept. */
export function AddRemoteStack({
  open,
  onClose,
  onAdded,
  connect,
  inDesktop,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: (p: StackProfile) => void;
  connect: (input: RemoteStackInput) => Promise<StackProfile>;
  inDesktop: boolean;
}): ReactNode {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [akId, setAkId] = useState('');
  const [secret, setSecret] = useState('');
  const baseUrl = url.trim().replace(/\/+$/, '');
  const input: RemoteStackInput = { name: name.trim() || baseUrl, baseUrl, accessKey: { id: akId.trim(), secret: secret.trim() } };
  const check = useMutation({
    mutationFn: () => connect(input),
    onSuccess: (p) => {
      setSecret('');
      onAdded(p);
    },
  });
  const ready = /^https?:\/\/[^/]+/.test(baseUrl) && input.accessKey.id !== '' && input.accessKey.secret !== '';
  const footer = (
    <>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" disabled={!ready || check.isPending} onClick={() => check.mutate()} data-testid="remote-connect">
        {check.isPending ? 'Connecting…' : 'Connect'}
      </Button>
    </>
  );
  return (
    <Dialog open={open} title="Add a remote stack" onClose={onClose} footer={footer} testId="remote-dialog">
      <div className="space-y-3">
        {check.error ? <ErrorBanner error={check.error} /> : null}
        <Field label="Name">
          <TextInput value={name} onChange={(e) => setName(e.target.value)} placeholder="staging" data-testid="remote-name" />
        </Field>
        <Field label="URL" hint="The stack must allow this console's origin: FUNC_CORS_ORIGINS there.">
          <TextInput value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://func.example.com" data-testid="remote-url" />
        </Field>
        <Field label="Access key id">
          <TextInput value={akId} onChange={(e) => setAkId(e.target.value)} placeholder="ak-…" autoComplete="off" data-testid="remote-ak-id" />
        </Field>
        <Field
          label="Access key secret"
          hint={
            inDesktop
              ? 'Handed once to the desktop app, which keeps it encrypted in the system keychain; not shown again.'
              : "Kept in this browser's localStorage for this profile only; not shown again."
          }
        >
          <TextInput type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" data-testid="remote-ak-secret" />
        </Field>
      </div>
    </Dialog>
  );
}
