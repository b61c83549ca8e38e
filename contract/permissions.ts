/**
 * Who may do what. Every operation signed-in callers reach declares one permission beside it
 * (`Operation.permission`); the server checks it in one place for every route, and the Electron
 * bridge goes through the same HTTP routes. Roles and privilege names follow DataFlux Func's
 * (`admin`, `user`, `readonlyUser`, `customUser`; `general_r`, `general_w`, `user_r`, …), with
 * Func's own for what DataFlux Func does not have (the swarm stack).
 */

export const PERMISSIONS = {
  signedIn: 'Be signed in: own profile, sign out',
  general_r: 'Read scripts, functions, APIs, cron jobs, env variables, API auth (secrets masked), tasks, dead letters, topology and capacity',
  general_w: 'Write scripts (publish, import), APIs, cron jobs, env variables, API auth; run functions and drafts; cancel tasks',
  user_r: 'List and view users',
  user_w: 'Add, modify and delete users, set their roles and passwords',
  accessKey_r: 'List and view access keys (never their secrets)',
  accessKey_w: 'Add, modify and delete access keys',
  stack_r: 'Read the Docker swarm stack and its changes',
  stack_w: 'Plan and apply changes to the Docker swarm stack',
  systemSetting_r: 'Read the system settings',
  systemSetting_w: 'Change the system settings',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ROLES = ['admin', 'user', 'readonlyUser', 'customUser'] as const;
export type Role = (typeof ROLES)[number];

/** What the console calls each role. `user` is DataFlux Func's name for a developer. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  user: 'Developer',
  readonlyUser: 'Viewer',
  customUser: 'Custom',
};

/** What each role grants, in one line (the console's role choice). */
export const ROLE_HINTS: Record<Role, string> = {
  admin: 'Everything, including users, access keys and the stack',
  user: 'Writes, publishes and runs scripts; manages APIs and cron jobs',
  readonlyUser: 'Reads everything a developer reads, changes nothing',
  customUser: 'Signs in only, until given its own permissions',
};

const ALL = Object.keys(PERMISSIONS) as Permission[];

/** The permissions each role grants; a user's are the union over its roles. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ALL,
  user: ['signedIn', 'general_r', 'general_w', 'user_r'],
  readonlyUser: ['signedIn', 'general_r', 'user_r'],
  customUser: ['signedIn'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/** A user's permissions: the union over its roles. Unknown roles grant nothing. */
export function permissionsOf(user: { roles: readonly string[] }): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  for (const role of user.roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) granted.add(p);
  return granted;
}

export function hasPermission(user: { roles: readonly string[] }, permission: Permission): boolean {
  return permissionsOf(user).has(permission);
}
