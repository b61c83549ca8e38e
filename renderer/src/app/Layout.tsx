import { useState, type ReactNode } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { NAV } from './nav';
import { useSession } from './session';
import { useTheme } from './theme';
import { StackSwitcher } from './StackSwitcher';
import { AlertBanner } from './AlertBanner';
import { Icon } from '../ui/Icon';
import { funcDesktop } from './desktop';
import { accessKeyIdOf } from './profiles';
import { usePermissions } from './permissions';
import { AccountDialog } from './AccountDialog';

function linkClass({ isActive }: { isActive: boolean }): string {
  return `flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm ${isActive ? 'bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950/60 dark:text-indigo-300' : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100'}`;
}

export function Layout(): ReactNode {
  const { profile, api, setToken } = useSession();
  const [theme, toggleTheme] = useTheme();
  const navigate = useNavigate();
  const desktop = funcDesktop();
  const { can } = usePermissions();
  const [account, setAccount] = useState(false);
  const signOut = (): void => {
    void api.signOut({}).catch(() => undefined);
    setToken(null);
    void navigate('/sign-in');
  };
  return (
    <div className="flex h-full">
      <aside className="flex w-52 shrink-0 flex-col border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex h-14 items-center gap-2 border-b border-zinc-200 px-4 dark:border-zinc-800">
          <span className="flex size-7 items-center justify-center rounded-md bg-indigo-600 text-sm font-bold text-white">ƒ</span>
          <span className="font-semibold tracking-tight">Func</span>
        </div>
        <div className="border-b border-zinc-200 p-3 dark:border-zinc-800">
          <StackSwitcher />
        </div>
        <nav className="flex-1 space-y-4 overflow-y-auto p-3" aria-label="Main">
          {NAV.map((group) => ({ ...group, items: group.items.filter((item) => can(item.permission) && !(item.tokenOnly && accessKeyIdOf(profile) !== undefined)) }))
            .filter((group) => group.items.length > 0)
            .map((group) => (
              <div key={group.section}>
                <p className="px-2.5 pb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-400">{group.section}</p>
                <div className="space-y-0.5">
                  {group.items.map((item) => (
                    <NavLink key={item.to} to={item.to} className={linkClass} data-testid={`nav-${item.to.slice(1)}`}>
                      <Icon name={item.icon} className="size-4 opacity-70" />
                      {item.label}
                    </NavLink>
                  ))}
                </div>
              </div>
            ))}
        </nav>
        <div className="space-y-1 border-t border-zinc-200 p-3 text-sm dark:border-zinc-800">
          <button type="button" className={linkClass({ isActive: false }) + ' w-full'} onClick={toggleTheme} data-testid="theme-toggle">
            <Icon name={theme === 'dark' ? 'sun' : 'moon'} className="size-4 opacity-70" />
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          {desktop ? (
            <button
              type="button"
              className={linkClass({ isActive: false }) + ' w-full'}
              onClick={() => void desktop.desktop.openLogsFolder().catch(() => undefined)}
              data-testid="open-logs-folder"
            >
              <Icon name="folder" className="size-4 opacity-70" />
              Open logs folder
            </button>
          ) : null}
          {accessKeyIdOf(profile) !== undefined || profile.kind === 'remote' ? null : (
            <button type="button" className={linkClass({ isActive: false }) + ' w-full'} onClick={() => setAccount(true)} data-testid="account-open">
              <Icon name="account" className="size-4 opacity-70" />
              Account
            </button>
          )}
          {accessKeyIdOf(profile) !== undefined ? null : (
            <button type="button" className={linkClass({ isActive: false }) + ' w-full'} onClick={signOut} data-testid="sign-out">
              <Icon name="signOut" className="size-4 opacity-70" />
              <span className="truncate">Sign out {profile.username ?? ''}</span>
            </button>
          )}
        </div>
      </aside>
      <main className="flex min-w-0 flex-1 flex-col overflow-hidden">
        <AlertBanner />
        <Outlet />
      </main>
      <AccountDialog open={account} onClose={() => setAccount(false)} />
    </div>
  );
}
