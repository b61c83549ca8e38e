/** What every role needs: configuration, secret, topology, the migrated store, the function catalog. */
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { TokenSigner } from '../domain/auth/auth-token.js';
import { SecretBox } from '../domain/auth/secret-box.js';
import type { Store } from '../domain/ports/store.js';
import { withRecordBatcher } from '../domain/tasks/record-batcher.js';
import { FuncCatalog } from '../domain/scripts/func-catalog.js';
import type { Topology } from '../domain/topology/topology.js';
import { openStore } from '../adapters/store/open-store.js';
import type { AppContext } from '../server/app-context.js';
import { loadTopology } from './load-topology.js';
import { ensureHome } from './func-home.js';
import { openResources } from './resources.js';
import { loadOrCreateSecret } from './secret-file.js';
import { VERSION } from './version.js';

export interface Core {
  config: Config;
  secret: string;
  secrets: SecretBox;
  topology: Topology;
  store: Store;
  catalog: FuncCatalog;
  now: () => number;
}

/**
 * `recordLingerMs`: task-record writes wait this long to be committed together (worker
 * processes; 0 where a caller waits for the write, as an async call's id does).
 */
export async function openCore(config: Config, now: () => number, defaultProcesses?: number, recordLingerMs = 0): Promise<Core> {
  ensureHome(config.home);
  const secret = loadOrCreateSecret(config.home, config.secret);
  const topology = loadTopology(config.topology, config.workerProcesses ?? defaultProcesses);
  const store = withRecordBatcher(await openStore(config.dbUrl ? { mysqlUrl: config.dbUrl } : { sqlitePath: join(config.home, 'func.sqlite') }), recordLingerMs);
  await store.migrate();
  return { config, secret, secrets: new SecretBox(secret), topology, store, catalog: new FuncCatalog(store, 1000, now), now };
}

/** What a server's context takes besides what its core holds and what `serverContext` derives. */
export type ServerParts = Omit<AppContext, keyof Core | 'tokens' | 'resources' | 'pythonPackages' | 'version'>;

/**
 * A server's context, in either mode: the core's configuration, store, catalog, topology, secrets
 * and clock, the token signer of its secret, the resources and Python packages folders
 * (`openResources`), the version, and `parts`.
 */
export function serverContext(core: Core, parts: ServerParts): AppContext {
  const { config, store, catalog, topology, secrets, now } = core;
  return { config, store, catalog, topology, secrets, now, tokens: new TokenSigner(core.secret, now), ...openResources(config), version: VERSION, ...parts };
}
