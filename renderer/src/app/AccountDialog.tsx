/** The signed-in user's own account, from the sidebar: profile name and password. */
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi, useSession } from './session';
import { Dialog } from '../ui/Dialog';
import { Button } from '../ui/Button';
import { Field, TextInput } from '../ui/Field';
import { ErrorBanner } from '../ui/States';
import { Notice } from '../ui/Table';
import { ApiError } from '@contract/errors';
import { USER_NAME_MAX } from '@contract/operations/entities';

/** The server names `changePassword.oldPassword` (or `body.changePassword.newPassword`): shown at that field. */
function passwordError(err: unknown, field: 'oldPassword' | 'newPassword'): string | null {
  return err instanceof ApiError && typeof err.detail.field === 'string' && err.detail.field.endsWith(`changePassword.${field}`) ? err.message.replace(/^[\w.]+: /, '') : null;
}

/** One of the dialog's forms: its heading, then `children`; submitting calls `onSubmit`. */
function AccountForm({ title, testId, onSubmit, children }: { title: string; testId: string; onSubmit: () => void; children: ReactNode }): ReactNode {
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      data-testid={testId}
    >
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </form>
  );
}

function ProfileForm(): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const { profile } = useSession();
  const me = useQuery({ queryKey: ['profile', profile.id], queryFn: () => api.profile({}), staleTime: 60_000 });
  const [name, setName] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => api.modifyProfile({ body: { data: { name: (name ?? me.data?.name ?? '').trim() || null } } }),
    onSuccess: async () => {
      setSaved(true);
      setName(null);
      await qc.invalidateQueries({ queryKey: ['profile'] });
    },
  });
  return (
    <AccountForm title="Profile" testId="account-profile" onSubmit={() => (setSaved(false), save.mutate())}>
      {save.error ? <ErrorBanner error={save.error} /> : null}
      {saved ? (
        <Notice onDismiss={() => setSaved(false)} testId="account-profile-saved">
          Name saved.
        </Notice>
      ) : null}
      <Field label="Username" hint="Usernames do not change">
        <TextInput value={me.data?.username ?? ''} disabled readOnly data-testid="account-username" />
      </Field>
      <Field label="Name">
        <TextInput value={name ?? me.data?.name ?? ''} maxLength={USER_NAME_MAX} onChange={(e) => (setSaved(false), setName(e.target.value))} data-testid="account-name" />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={save.isPending || name === null} data-testid="account-name-save">
          Save name
        </Button>
      </div>
    </AccountForm>
  );
}

function PasswordForm(): ReactNode {
  const api = useApi();
  const { profile, setToken } = useSession();
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [again, setAgain] = useState('');
  const [changed, setChanged] = useState(false);
  const mismatch = again !== '' && again !== newPassword ? 'The two new passwords differ.' : null;
  const tooShort = newPassword !== '' && newPassword.length < 8 ? 'At least 8 characters.' : null;
  const change = useMutation({
    mutationFn: () => api.changePassword({ body: { changePassword: { oldPassword, newPassword } } }),
    onSuccess: ({ xAuthToken }) => {
      // Every token of the user ended: this console goes on with the new one.
      setToken(xAuthToken, profile.username);
      setOld('');
      setNew('');
      setAgain('');
      setChanged(true);
    },
  });
  const oldError = passwordError(change.error, 'oldPassword');
  const newError = passwordError(change.error, 'newPassword');
  return (
    <AccountForm title="Change password" testId="account-password" onSubmit={() => (setChanged(false), change.mutate())}>
      {change.error && !oldError && !newError ? <ErrorBanner error={change.error} /> : null}
      {changed ? (
        <Notice onDismiss={() => setChanged(false)} testId="account-password-changed">
          Password changed. Other sessions of this user were signed out.
        </Notice>
      ) : null}
      <Field label="Current password" error={oldError} testId="account-old-password">
        <TextInput
          type="password"
          autoComplete="current-password"
          value={oldPassword}
          onChange={(e) => (change.reset(), setOld(e.target.value))}
          data-testid="account-old-password"
        />
      </Field>
      <Field label="New password" error={newError ?? tooShort} testId="account-new-password">
        <TextInput type="password" autoComplete="new-password" value={newPassword} onChange={(e) => (change.reset(), setNew(e.target.value))} data-testid="account-new-password" />
      </Field>
      <Field label="New password again" error={mismatch} testId="account-new-password-again">
        <TextInput type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="account-new-password-again" />
      </Field>
      <div className="flex justify-end">
        <Button
          type="submit"
          variant="primary"
          disabled={change.isPending || oldPassword === '' || newPassword === '' || again !== newPassword || tooShort !== null}
          data-testid="account-password-save"
        >
          Change password
        </Button>
      </div>
    </AccountForm>
  );
}

export function AccountDialog({ open, onClose }: { open: boolean; onClose: () => void }): ReactNode {
  return (
    <Dialog open={open} title="Account" onClose={onClose} testId="account-dialog">
      <div className="space-y-6">
        <ProfileForm />
        <div className="border-t border-zinc-200 dark:border-zinc-800" />
        <PasswordForm />
      </div>
    </Dialog>
  );
}
