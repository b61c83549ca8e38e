/** A server's subscription maintainer (queue #6), in either mode. */
import { CONNECTOR_DRIVERS, DEFAULT_CONNECTOR_TIMEOUTS } from '../adapters/connectors/index.js';
import { SubscriptionMaintainer } from '../subscriptions/maintainer.js';
import type { SubscriptionMaintainerDeps } from '../subscriptions/maintainer.js';
import type { Core } from './core.js';

/** Over the core's store, secrets, catalog, topology and clock, with the connector drivers, their default timeouts and the configured backlog. */
export function subscriptionMaintainer(core: Core, deps: Omit<SubscriptionMaintainerDeps, keyof Core | 'drivers' | 'timeouts' | 'maxBacklog'>): SubscriptionMaintainer {
  const { store, secrets, catalog, topology, now, config } = core;
  return new SubscriptionMaintainer({
    store,
    secrets,
    catalog,
    topology,
    now,
    drivers: CONNECTOR_DRIVERS,
    timeouts: DEFAULT_CONNECTOR_TIMEOUTS,
    maxBacklog: config.subscriptionMaxBacklog,
    ...deps,
  });
}
