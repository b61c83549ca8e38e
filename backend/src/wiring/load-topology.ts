/**
 * FUNC_TOPOLOGY: a preset name, a JSON file, or the JSON itself (what `func stack deploy` hands
 * the services of a custom topology); validated before anything starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../config/config.js';
import { PRESETS, topologyShapeProblems, validateTopology, type Topology } from '../domain/topology/topology.js';

export function loadTopology(value: string, processesOverride?: number): Topology {
  let topology: Topology;
  if (Object.hasOwn(PRESETS, value)) topology = structuredClone(PRESETS[value]!);
  else if (value.trimStart().startsWith('{')) {
    try {
      topology = JSON.parse(value) as Topology;
    } catch (err) {
      throw new ConfigError('FUNC_TOPOLOGY', `is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else if (existsSync(value)) {
    try {
      topology = JSON.parse(readFileSync(value, 'utf8')) as Topology;
    } catch (err) {
      throw new ConfigError('FUNC_TOPOLOGY', `file ${value} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else throw new ConfigError('FUNC_TOPOLOGY', `"${value}" is neither a preset (${Object.keys(PRESETS).join(', ')}) nor a file (nor JSON)`);
  // Its shape first: the override reads its units (and may fill in their processes).
  const shape = topologyShapeProblems(topology);
  if (shape.length > 0) throw new ConfigError('FUNC_TOPOLOGY', shape.join('; '));
  if (processesOverride !== undefined) topology.units = topology.units.map((u) => ({ ...u, processes: processesOverride }));
  const problems = validateTopology(topology);
  if (problems.length > 0) throw new ConfigError('FUNC_TOPOLOGY', problems.join('; '));
  return topology;
}
