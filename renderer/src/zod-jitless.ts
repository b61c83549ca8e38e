/**
 * Imported first by main.tsx, before any module builds a schema: the contract's zod schemas without
 * compiled parsers. zod probes `new Function` when it builds an object schema, and the console's
 * CSP (no 'unsafe-eval') refuses it and reports a violation; jitless skips the probe.
 */
import { config } from 'zod';

config({ jitless: true });
