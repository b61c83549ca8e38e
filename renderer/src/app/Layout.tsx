import { useEffect, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
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
import { useTopologyFeed } from '../features/overview/use-topology';

function linkClass({ isActive }: { isActive: boolean }): string {
  return `flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm ${isActive ? 'bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950/60 dark:text-indigo-300' : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100'}`;
}

/**
 * Under 800 px wide the sidebar is a rail of icons (each link named by its title and aria-label)
 * and the menu button opens it whole over the page; from 800 px it is the full sidebar, as before.
 * The classes returned apply to the closed rail only (none while the menu is open).
 */
function railClasses(open: boolean): { text: string; link: string; pad: string } {
  return open ? { text: '', link: '', pad: '' } : { text: 'max-[800px]:hidden', link: 'max-[800px]:justify-center max-[800px]:px-0', pad: 'max-[800px]:px-2' };
}

export function Layout(): ReactNode {
  const { profile, api, setToken } = useSession();
  const [theme, toggleTheme] = useTheme();
  const navigate = useNavigate();
  const desktop = funcDesktop();
  const { can } = usePermissions();
  const [account, setAccount] = useState(false);
  // The overview's charts keep their last 90 s across pages: fed while the console is open.
  useTopologyFeed();
  const signOut = (): void => {
    void api.signOut({}).catch(() => undefined);
    setToken(null);
    void navigate('/sign-in');
  };
  const { pathname } = useLocation();
  // The page the menu was opened on: following a link (or any change of page) closes it.
  const [menuOpenAt, setMenuOpenAt] = useState<string | null>(null);
  const menuOpen = menuOpenAt === pathname;
  const setMenuOpen = (open: boolean): void => setMenuOpenAt(open ? pathname : null);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setMenuOpenAt(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  const rail = railClasses(menuOpen);
  const footerButton = `${linkClass({ isActive: false })} w-full ${rail.link}`;
  return (
    <div className="flex h-full">
      {/* In the flow: the rail's width (56 px) under 800 px, the sidebar's (208 px) from there; the sidebar over the page when opened. */}
      <div className="relative w-14 shrink-0 min-[800px]:w-52">
        <aside
          id="main-sidebar"
          data-testid="sidebar"
          className={`absolute inset-y-0 left-0 z-40 flex flex-col border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900 min-[800px]:w-52 min-[800px]:shadow-none ${menuOpen ? 'w-52 shadow-xl' : 'w-14'}`}
        >
          <div className={`flex h-14 shrink-0 items-center gap-2 border-b border-zinc-200 px-4 dark:border-zinc-800 ${rail.pad} ${rail.link}`}>
            <span className={`flex size-7 items-center justify-center rounded-md bg-indigo-600 text-sm font-bold text-white ${rail.text}`}>ƒ</span>
            <span className={`font-semibold tracking-tight ${rail.text}`}>Func</span>
            <button
              type="button"
              className={`ml-auto flex size-8 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800/60 min-[800px]:hidden ${menuOpen ? '' : 'max-[800px]:ml-0'}`}
              aria-label={menuOpen ? 'Close the menu' : 'Open the menu'}
              aria-expanded={menuOpen}
              aria-controls="main-sidebar"
              onClick={() => setMenuOpen(!menuOpen)}
              data-testid="sidebar-toggle"
            >
              <Icon name={menuOpen ? 'close' : 'menu'} className="size-5" />
            </button>
          </div>
          <div className={`border-b border-zinc-200 p-3 dark:border-zinc-800 ${rail.text}`}>
            <StackSwitcher />
          </div>
          <nav className={`flex-1 space-y-4 overflow-y-auto p-3 ${rail.pad}`} aria-label="Main">
            {NAV.map((group) => ({ ...group, items: group.items.filter((item) => can(item.permission) && !(item.tokenOnly && accessKeyIdOf(profile) !== undefined)) }))
              .filter((group) => group.items.length > 0)
              .map((group, index) => (
                <div key={group.section}>
                  <p className={`px-2.5 pb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-400 ${rail.text}`}>{group.section}</p>
                  {menuOpen || index === 0 ? null : <hr className="mx-1 mb-2 border-zinc-200 min-[800px]:hidden dark:border-zinc-800" aria-hidden />}
                  <div className="space-y-0.5">
                    {group.items.map((item) => (
                      <NavLink
                        key={item.to}
                        to={item.to}
                        className={(state) => `${linkClass(state)} ${rail.link}`}
                        title={item.label}
                        aria-label={item.label}
                        data-testid={`nav-${item.to.slice(1)}`}
                      >
                        <Icon name={item.icon} className="size-4 opacity-70" />
                        <span className={`truncate ${rail.text}`}>{item.label}</span>
                      </NavLink>
                    ))}
                  </div>
                </div>
              ))}
          </nav>
          <div className={`space-y-1 border-t border-zinc-200 p-3 text-sm dark:border-zinc-800 ${rail.pad}`}>
            <button type="button" className={footerButton} onClick={toggleTheme} title={theme === 'dark' ? 'Light theme' : 'Dark theme'} data-testid="theme-toggle">
              <Icon name={theme === 'dark' ? 'sun' : 'moon'} className="size-4 opacity-70" />
              <span className={rail.text}>{theme === 'dark' ? 'Light theme' : 'Dark theme'}</span>
            </button>
            {desktop ? (
              <button
                type="button"
                className={footerButton}
                onClick={() => void desktop.desktop.openLogsFolder().catch(() => undefined)}
                title="Open logs folder"
                data-testid="open-logs-folder"
              >
                <Icon name="folder" className="size-4 opacity-70" />
                <span className={rail.text}>Open logs folder</span>
              </button>
            ) : null}
            {accessKeyIdOf(profile) !== undefined || profile.kind === 'remote' ? null : (
              <button type="button" className={footerButton} onClick={() => setAccount(true)} title="Account" data-testid="account-open">
                <Icon name="account" className="size-4 opacity-70" />
                <span className={rail.text}>Account</span>
              </button>
            )}
            {accessKeyIdOf(profile) !== undefined ? null : (
              <button type="button" className={footerButton} onClick={signOut} title={`Sign out ${profile.username ?? ''}`.trim()} data-testid="sign-out">
                <Icon name="signOut" className="size-4 opacity-70" />
                <span className={`truncate ${rail.text}`}>Sign out {profile.username ?? ''}</span>
              </button>
            )}
          </div>
        </aside>
      </div>
      {menuOpen ? (
        <button
          type="button"
          className="fixed inset-0 z-30 bg-zinc-900/20 min-[800px]:hidden"
          aria-label="Close the menu"
          tabIndex={-1}
          onClick={() => setMenuOpen(false)}
          data-testid="sidebar-backdrop"
        />
      ) : null}
      <main className="flex min-w-0 flex-1 flex-col overflow-hidden">
        <AlertBanner />
        <Outlet />
      </main>
      <AccountDialog open={account} onClose={() => setAccount(false)} />
    </div>
  );
}
