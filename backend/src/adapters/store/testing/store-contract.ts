/** The one contract suite every Store implementation must pass; sections live in contract-*.ts. */
import { afterAll, beforeAll, describe } from 'vitest';
import type { OpenedStore } from '../open-store.js';
import { adminContract } from './contract-admin.js';
import { authStateContract } from './contract-auth-state.js';
import { autoscaleContract } from './contract-autoscale.js';
import { cronContract } from './contract-cron.js';
import { entityContract } from './contract-entities.js';
import { funcStoreContract } from './contract-func-store.js';
import { recordSearchContract } from './contract-record-search.js';
import { scriptContract } from './contract-scripts.js';
import { taskRecordContract } from './contract-task-records.js';
import type { TestDatabase } from './test-databases.js';

export type GetStore = () => OpenedStore;

export function storeContract(target: TestDatabase): void {
  describe(`Store on ${target.label}`, () => {
    let store: OpenedStore | undefined;
    beforeAll(async () => {
      store = await target.open();
      await store.migrate();
    });
    afterAll(async () => {
      try {
        await store?.close();
      } finally {
        await target.dispose();
      }
    });
    const getStore: GetStore = () => {
      if (store === undefined) throw new Error(`the ${target.label} store did not open (see the beforeAll error)`);
      return store;
    };
    entityContract(getStore);
    scriptContract(getStore);
    taskRecordContract(getStore);
    funcStoreContract(getStore);
    cronContract(getStore);
    authStateContract(getStore);
    adminContract(getStore);
    recordSearchContract(getStore);
    autoscaleContract(getStore);
  });
}
