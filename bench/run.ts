/** `npm run bench`: every benchmark prints its numbers beside a baseline measured in the same run. */
import { benchSyncCall } from './sync-call.bench.js';
import { benchConsole } from './console.bench.js';

await benchSyncCall();
await benchConsole();
