/** The sidebar's sections. */
import type { IconName } from '../ui/Icon';

export interface NavItem {
  to: string;
  label: string;
  icon: IconName;
}

export const NAV: { section: string; items: NavItem[] }[] = [
  { section: 'Develop', items: [{ to: '/overview', label: 'Overview', icon: 'overview' }, { to: '/topology', label: 'Topology', icon: 'topology' }, { to: '/scripts', label: 'Scripts', icon: 'scripts' }, { to: '/tasks', label: 'Task records', icon: 'tasks' }] },
  {
    section: 'Expose',
    items: [{ to: '/sync-apis', label: 'Sync APIs', icon: 'sync' }, { to: '/async-apis', label: 'Async APIs', icon: 'async' }, { to: '/cron-jobs', label: 'Cron jobs', icon: 'cron' }],
  },
  {
    section: 'Manage',
    items: [{ to: '/env-variables', label: 'Env variables', icon: 'env' }, { to: '/access-keys', label: 'Access keys', icon: 'keys' }, { to: '/users', label: 'Users', icon: 'users' }],
  },
];
