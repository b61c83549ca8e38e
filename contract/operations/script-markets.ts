/**
 * DataFlux Func's script market, as far as its console reads it on every load: Func keeps no
 * script market (a DataFlux-hosted catalogue of script sets), so none is listed and no script set
 * has an update from one. Adding or using a market stays left out (docs/compatibility.md).
 */
import { z } from 'zod';
import { operation } from '../operation.js';

export const listScriptMarkets = operation('listScriptMarkets', 'GET /api/v1/script-markets/do/list', 'general_r', {
  summary: 'Script markets: always none (Func keeps no script market)',
  fieldSelecting: true,
  query: z.object({}).loose(),
  output: z.array(z.never()),
});

export const checkScriptMarketUpdate = operation('checkScriptMarketUpdate', 'GET /api/v1/script-markets/do/check-update', 'general_r', {
  summary: 'Script sets with an update in a script market: always none (Func keeps no script market)',
  query: z.object({ scriptMarketId: z.string().max(256).optional() }).loose(),
  output: z.array(z.never()),
});
