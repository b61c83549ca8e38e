/** The sidebar's sections. */
import { operations, type OperationId } from '@contract/index';
import type { Permission } from '@contract/permissions';
import type { IconName } from '../ui/Icon';

export interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  /** Shown to users holding it only. */
  permission: Permission;
  /** What the page lists takes a signed-in token only (the contract's tokenOnly): not shown on a stack reached with an access key. */
  tokenOnly: boolean;
}

/** A page of a section: its label, icon, the permission it needs (`general_r` unless named) and the operation it lists by. */
type Page = [label: string, icon: IconName, permission?: Permission, listedBy?: OperationId];

/** A section from its pages, keyed by path below `/`, in the order they are shown. */
function section(name: string, pages: Record<string, Page>): { section: string; items: NavItem[] } {
  return {
    section: name,
    items: Object.entries(pages).map(([path, [label, icon, permission = 'general_r', listedBy]]) => ({
      to: `/${path}`,
      label,
      icon,
      permission,
      tokenOnly: listedBy !== undefined && operations[listedBy].tokenOnly === true,
    })),
  };
}

export const NAV: { section: string; items: NavItem[] }[] = [
  section('Develop', { overview: ['Overview', 'overview'], topology: ['Topology', 'topology'], scripts: ['Scripts', 'scripts'], tasks: ['Task records', 'tasks'] }),
  section('Expose', { 'sync-apis': ['Sync APIs', 'sync'], 'async-apis': ['Async APIs', 'async'], 'cron-jobs': ['Cron jobs', 'cron'], 'api-auth': ['API auth', 'lock'] }),
  section('Manage', {
    connectors: ['Connectors', 'plug'],
    'env-variables': ['Env variables', 'env'],
    'access-keys': ['Access keys', 'keys', 'accessKey_r', 'listAccessKeys'],
    users: ['Users', 'users', 'user_r', 'listUsers'],
  }),
  section('Data', { resources: ['Resources', 'folder'], 'file-services': ['File services', 'share'], 'func-data': ['Caches & stores', 'database'] }),
  section('System', { 'python-packages': ['Python packages', 'packages'], 'recover-points': ['Recover points', 'recover'], 'operation-records': ['Operation records', 'audit'] }),
];
