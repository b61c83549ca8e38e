/** The sidebar's sections. */
import type { Permission } from '@contract/permissions';
import type { IconName } from '../ui/Icon';

export interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  /** Shown to users holding it only. */
  permission: Permission;
}

export const NAV: { section: string; items: NavItem[] }[] = [
  {
    section: 'Develop',
    items: [
      { to: '/overview', label: 'Overview', icon: 'overview', permission: 'general_r' },
      { to: '/topology', label: 'Topology', icon: 'topology', permission: 'general_r' },
      { to: '/scripts', label: 'Scripts', icon: 'scripts', permission: 'general_r' },
      { to: '/tasks', label: 'Task records', icon: 'tasks', permission: 'general_r' },
    ],
  },
  {
    section: 'Expose',
    items: [
      { to: '/sync-apis', label: 'Sync APIs', icon: 'sync', permission: 'general_r' },
      { to: '/async-apis', label: 'Async APIs', icon: 'async', permission: 'general_r' },
      { to: '/cron-jobs', label: 'Cron jobs', icon: 'cron', permission: 'general_r' },
    ],
  },
  {
    section: 'Manage',
    items: [
      { to: '/connectors', label: 'Connectors', icon: 'plug', permission: 'general_r' },
      { to: '/env-variables', label: 'Env variables', icon: 'env', permission: 'general_r' },
      { to: '/access-keys', label: 'Access keys', icon: 'keys', permission: 'accessKey_r' },
      { to: '/users', label: 'Users', icon: 'users', permission: 'user_r' },
    ],
  },
  {
    section: 'Data',
    items: [
      { to: '/resources', label: 'Resources', icon: 'folder', permission: 'general_r' },
      { to: '/file-services', label: 'File services', icon: 'share', permission: 'general_r' },
      { to: '/func-data', label: 'Caches & stores', icon: 'database', permission: 'general_r' },
    ],
  },
  {
    section: 'System',
    items: [
      { to: '/python-packages', label: 'Python packages', icon: 'packages', permission: 'general_r' },
      { to: '/recover-points', label: 'Recover points', icon: 'recover', permission: 'general_r' },
      { to: '/operation-records', label: 'Operation records', icon: 'audit', permission: 'general_r' },
    ],
  },
];
