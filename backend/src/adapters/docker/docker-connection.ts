/**
 * Connecting to a Docker engine from FUNC_DOCKER_HOST: `unix:///var/run/docker.sock` (the local
 * socket), `ssh://user@host[:port]` (the engine of a remote manager, through `docker system
 * dial-stdio` over SSH, authenticated by the SSH agent or the user's key) or `tcp://host:port`
 * (plain HTTP: only on a trusted network). Every field is set explicitly, so DOCKER_HOST and
 * friends in the environment never redirect it elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
/** An API call that takes longer than this fails (listing, creating, updating a service). */
const API_TIMEOUT_MS = 30_000;
const SSH_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface SshEnvironment {
  /** SSH_AUTH_SOCK. */
  agent?: string | undefined;
  /** Folder of the user's keys (~/.ssh). */
  keyFolder?: string;
}

/** Dockerode options for an endpoint; throws naming what is wrong with it. */
export function dockerOptions(endpoint: string, ssh: SshEnvironment = { agent: process.env.SSH_AUTH_SOCK, keyFolder: join(homedir(), '.ssh') }): DockerOptions {
  const base: DockerOptions = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, timeout: API_TIMEOUT_MS };
  if (endpoint.startsWith('unix://')) {
    const socketPath = endpoint.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new Error(`Docker endpoint "${endpoint}": a unix socket needs an absolute path (unix:///var/run/docker.sock)`);
    return { ...base, socketPath };
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`Docker endpoint "${endpoint}" is not a URL (unix:///var/run/docker.sock, ssh://user@host or tcp://host:2375)`);
  }
  if (url.protocol === 'tcp:') {
    if (!url.hostname || !url.port) throw new Error(`Docker endpoint "${endpoint}": give a host and a port (tcp://host:2375)`);
    return { ...base, host: url.hostname, port: Number(url.port), protocol: 'http' };
  }
  if (url.protocol === 'ssh:') {
    if (!url.hostname) throw new Error(`Docker endpoint "${endpoint}": give a host (ssh://user@host)`);
    const sshOptions: NonNullable<DockerOptions['sshOptions']> = {};
    if (ssh.agent) sshOptions.agent = ssh.agent;
    const key = ssh.keyFolder ? SSH_KEYS.map((k) => join(ssh.keyFolder!, k)).find((p) => existsSync(p)) : undefined;
    if (key) sshOptions.privateKey = readFileSync(key);
    if (!sshOptions.agent && !sshOptions.privateKey)
      throw new Error(`Docker endpoint "${endpoint}": no SSH agent (SSH_AUTH_SOCK) and no key in ~/.ssh (${SSH_KEYS.join(', ')}) to sign in with`);
    return { ...base, protocol: 'ssh', host: url.hostname, port: url.port ? Number(url.port) : 22, username: decodeURIComponent(url.username) || 'root', sshOptions };
  }
  throw new Error(`Docker endpoint "${endpoint}": use unix:///path, ssh://user@host or tcp://host:port`);
}

/** The endpoint as shown to operators (never a password that was put in the URL). */
export function displayEndpoint(endpoint: string): string {
  return endpoint.replace(/^(ssh|tcp):\/\/([^:@/]+):[^@/]*@/, '$1://$2@');
}
