/**
 * An eta without an offset is UTC whatever the machine's time zone. Run in a child process at
 * UTC+8: V8 reads TZ once, and this process's zone (UTC on most CI machines, where local time and
 * UTC agree) would let a parse by local time (Date.parse) pass.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const moduleUrl = (path: string): string => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));

describe('eta without an offset, in a process at UTC+8', () => {
  it('is read as UTC by parseIsoTime and the call options (Date.parse would read it as local time there)', () => {
    const script = `
      const { parseIsoTime } = await import(${moduleUrl('../../contract/iso-time.ts')});
      const { callOptions } = await import(${moduleUrl('../../contract/operations/calls.ts')});
      const far = new Date(Date.now() + 86400000).toISOString().slice(0, 19).replace('T', ' ');
      console.log(JSON.stringify({
        offset: new Date(0).getTimezoneOffset(),
        spaced: parseIsoTime('2030-01-01 08:30:00'),
        dateOnly: parseIsoTime('2030-01-01'),
        python: parseIsoTime('2030-01-01T08:30:00.817112'),
        far, farParsed: parseIsoTime(far),
        option: callOptions.safeParse({ eta: far }).success,
      }));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: 'Asia/Shanghai' } }),
    ) as Record<string, unknown>;
    expect(out.offset).toBe(-480);
    expect(out.spaced).toBe(Date.parse('2030-01-01T08:30:00Z'));
    expect(out.dateOnly).toBe(Date.parse('2030-01-01T00:00:00Z'));
    expect(out.python).toBe(Date.parse('2030-01-01T08:30:00.817Z'));
    expect(out.farParsed).toBe(Date.parse(`${String(out.far).replace(' ', 'T')}Z`));
    expect(out.option).toBe(true);
  });
});

describe("an API's or cron job's expireTime without an offset, in a process at UTC+8", () => {
  it('is taken (DataFlux Func stores it in a DATETIME column) and read as UTC, as an eta', () => {
    const script = `
      const { syncApis } = await import(${moduleUrl('../../contract/operations/entities.ts')});
      const { toMs } = await import(${moduleUrl('../src/domain/entities/entity-rules.ts')});
      const body = (expireTime) => syncApis.add.body.safeParse({ data: { funcId: 'a__b.c', funcCallKwargsJSON: {}, expireTime } });
      console.log(JSON.stringify({
        spaced: body('2030-01-01 08:30:00').success, dateOnly: body('2030-01-01').success, zoned: body('2030-01-01T08:30:00+08:00').success,
        bad: body('tomorrow').error?.issues.map((i) => i.path.join('.')),
        spacedMs: toMs('2030-01-01 08:30:00'), zonedMs: toMs('2030-01-01T08:30:00+08:00'), epoch: toMs(1893486600000),
      }));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: 'Asia/Shanghai' } }),
    ) as Record<string, unknown>;
    expect(out).toMatchObject({ spaced: true, dateOnly: true, zoned: true, bad: ['data.expireTime'] });
    expect(out.spacedMs).toBe(Date.parse('2030-01-01T08:30:00Z'));
    expect(out.zonedMs).toBe(Date.parse('2030-01-01T00:30:00Z'));
    expect(out.epoch).toBe(1893486600000);
  });
});
