/** Connection profiles: what the renderer may send (with a secret) and what it gets back (never one). */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes');
const name = z.string().trim().min(1).max(80);
const httpOrigin = z.url({ protocol: /^https?$/ }).refine((u) => new URL(u).pathname === '/' || new URL(u).pathname === '', 'must be a stack URL without a path');
/** Docker: a local socket (unix:// or npipe://) or ssh://user@host[:port]. */
const dockerEndpoint = z
  .string()
  .refine(
    (v) => /^unix:\/\/\/[^\s]+$/.test(v) || /^npipe:\/\/\/\/\.\/pipe\/[\w.-]+$/.test(v) || /^ssh:\/\/[\w.-]+@[\w.-]+(:\d{1,5})?$/.test(v),
    'must be unix:///path/to/docker.sock, npipe:////./pipe/NAME or ssh://user@host[:port]',
  );

export const profileInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local'), id, name }),
  z.strictObject({ kind: z.literal('remote'), id, name, url: httpOrigin, accessKeyId: z.string().min(1).max(100), accessKeySecret: z.string().min(1).max(500).optional() }),
  z.strictObject({ kind: z.literal('docker'), id, name, endpoint: dockerEndpoint, sshPassphrase: z.string().min(1).max(500).optional() }),
]);
export type ProfileInput = z.infer<typeof profileInput>;

export const profileId = z.strictObject({ id });

/** Stored on disk: the secret only as safeStorage ciphertext (base64). */
export const storedProfile = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), id, name }),
  z.object({ kind: z.literal('remote'), id, name, url: z.string(), accessKeyId: z.string(), secret: z.string().optional() }),
  z.object({ kind: z.literal('docker'), id, name, endpoint: z.string(), secret: z.string().optional() }),
]);
export type StoredProfile = z.infer<typeof storedProfile>;

export type PublicProfile =
  | { kind: 'local'; id: string; name: string; active: boolean }
  | { kind: 'remote'; id: string; name: string; url: string; accessKeyId: string; hasSecret: boolean; active: boolean }
  | { kind: 'docker'; id: string; name: string; endpoint: string; hasSecret: boolean; active: boolean };
