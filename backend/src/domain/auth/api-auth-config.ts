/** API auth configurations: validation, and encryption of their secret parts at rest. */
import { z } from 'zod';
import { parseInput } from '../../../../contract/errors.js';
import type { ApiAuthType, JsonObject } from '../ports/store.js';
import type { SecretBox } from './secret-box.js';

const fixedField = z.object({
  fields: z.array(z.object({ location: z.enum(['header', 'query', 'body']), name: z.string().min(1).max(256), value: z.string().min(1).max(1024) })).min(1),
});
const users = z.object({ users: z.array(z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(1024) })).min(1) });
const func = z.object({ funcId: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*__[a-zA-Z0-9_]+\.[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be <scriptSet>__<script>.<function>') });

export type FixedFieldConfig = z.output<typeof fixedField>;
export type UsersConfig = z.output<typeof users>;
export type FuncAuthConfig = z.output<typeof func>;

const SCHEMAS = { fixedField, httpBasic: users, httpDigest: users, func } as const;

/** Validates a plain config for its type; a problem names the field under configJSON. */
export function checkApiAuthConfig(type: ApiAuthType, config: unknown): JsonObject {
  return parseInput(SCHEMAS[type], config, 'configJSON');
}

type Transform = (s: string) => string;

function mapSecrets(type: ApiAuthType, config: JsonObject, f: Transform): JsonObject {
  if (type === 'fixedField') {
    const c = config as FixedFieldConfig;
    return { fields: c.fields.map((x) => ({ ...x, value: f(x.value) })) };
  }
  if (type === 'httpBasic' || type === 'httpDigest') {
    const c = config as UsersConfig;
    return { users: c.users.map((u) => ({ ...u, password: f(u.password) })) };
  }
  return config;
}

export const encryptApiAuthConfig = (type: ApiAuthType, config: JsonObject, box: SecretBox): JsonObject => mapSecrets(type, config, (s) => box.encrypt(s));
export const decryptApiAuthConfig = (type: ApiAuthType, config: JsonObject, box: SecretBox): JsonObject => mapSecrets(type, config, (s) => box.decrypt(s));
/** What callers who may not change API auth see instead of each secret. */
export const MASKED_SECRET = '******';
export const maskApiAuthConfig = (type: ApiAuthType, config: JsonObject): JsonObject => mapSecrets(type, config, () => MASKED_SECRET);
