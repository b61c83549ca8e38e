import { useState, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { useSession } from '../../app/session';
import { Button } from '../../ui/Button';
import { Field, TextInput } from '../../ui/Field';
import { ErrorBanner } from '../../ui/States';
import { clearSessionEnded, SESSION_ENDED_TEXT, sessionEnded } from '../../app/session-ended';

export function SignInPage(): ReactNode {
  const { api, profile, setToken } = useSession();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [ended] = useState(sessionEnded);
  const signIn = useMutation({
    mutationFn: () => api.signIn({ body: { signIn: { username, password } } }),
    onSuccess: (data) => {
      clearSessionEnded();
      setToken(data.xAuthToken, data.username);
      const next = params.get('next');
      void navigate(next?.startsWith('/') ? next : '/overview', { replace: true });
    },
  });
  const submit = (e: { preventDefault: () => void }): void => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <div className="flex min-h-full items-center justify-center p-6">
      <form
        onSubmit={submit}
        className="w-full max-w-sm space-y-5 rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
        data-testid="sign-in-form"
      >
        <div className="flex items-center gap-3">
          <span className="flex size-9 items-center justify-center rounded-lg bg-indigo-600 text-lg font-bold text-white">ƒ</span>
          <div>
            <h1 className="text-lg font-semibold">Sign in to Func</h1>
            <p className="text-xs text-zinc-500">{profile.baseUrl || 'This stack'}</p>
          </div>
        </div>
        {signIn.error ? (
          <ErrorBanner error={signIn.error} />
        ) : ended ? (
          <p
            className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
            role="status"
            data-testid="sign-in-session-ended"
          >
            {SESSION_ENDED_TEXT}
          </p>
        ) : null}
        <Field label="Username">
          <TextInput autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="sign-in-username" required />
        </Field>
        <Field label="Password">
          <TextInput
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="sign-in-password"
            required
            autoFocus
          />
        </Field>
        <Button type="submit" variant="primary" className="w-full" disabled={signIn.isPending} data-testid="sign-in-submit">
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </div>
  );
}
