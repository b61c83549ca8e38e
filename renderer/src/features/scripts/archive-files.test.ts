import { describe, expect, it } from 'vitest';
import { archiveFileName, asArchiveCheck, importedSummary, isZipBytes, previewGroups, requirementLines } from './archive-files';

describe('DataFlux Func archives in the console', () => {
  it('tells a zip from a JSON bundle by its first bytes', () => {
    expect(isZipBytes(new Uint8Array([0x50, 0x4b, 3, 4, 20]))).toBe(true);
    expect(isZipBytes(new Uint8Array([0x50, 0x4b, 5, 6]))).toBe(true);
    expect(isZipBytes(new TextEncoder().encode('{"format":"func-script-set/1"}'))).toBe(false);
    expect(isZipBytes(new Uint8Array([0x50, 0x4b]))).toBe(false);
  });

  it('groups the check answer per kind in order, counting adds and replaces, with titles or functions', () => {
    const groups = previewGroups({
      cronJobs: [{ id: 'cron-1', funcId: 'a__main.f', diffType: 'add' }],
      scriptSets: [
        { id: 'a', title: 'A set', diffType: 'add' },
        { id: 'b', title: '', diffType: 'replace' },
      ],
      connectors: [],
      somethingNew: [{ id: 'x', diffType: 'replace' }],
    });
    expect(groups.map((g) => g.key)).toEqual(['scriptSets', 'cronJobs', 'somethingNew']);
    expect(groups[0]).toMatchObject({ label: 'Script sets', add: 1, replace: 1 });
    expect(groups[0]?.rows).toEqual([
      { id: 'a', detail: 'A set', diffType: 'add' },
      { id: 'b', detail: null, diffType: 'replace' },
    ]);
    expect(groups[1]?.rows[0]).toEqual({ id: 'cron-1', detail: 'a__main.f', diffType: 'add' });
    expect(groups[2]).toMatchObject({ label: 'somethingNew', add: 0, replace: 1 });
    expect(importedSummary(groups)).toBe('2 script sets, 1 cron job, 1 somethingNew');
    expect(
      importedSummary(
        previewGroups({
          syncAPIs: [{ id: 'a', diffType: 'add' }],
          asyncAPIs: [],
          envVariables: [
            { id: 'v', diffType: 'add' },
            { id: 'w', diffType: 'replace' },
          ],
        }),
      ),
    ).toBe('2 env variables, 1 sync API');
    expect(importedSummary([])).toBe('nothing');
  });

  it('takes only an archive answer', () => {
    const check = { requirements: {}, confirmId: 'import-1', diff: {}, note: null };
    expect(asArchiveCheck(check)).toBe(check);
    expect(() => asArchiveCheck({ id: 'a', scripts: [], published: [], deleted: [] })).toThrow(/did not answer an archive check/);
  });

  it('lists requirements and names the download', () => {
    expect(requirementLines({ requests: '2.31.0', arrow: null })).toEqual(['arrow', 'requests==2.31.0']);
    expect(archiveFileName('dataflux-func-20261207_112233.zip')).toBe('dataflux-func-20261207_112233.zip');
    expect(archiveFileName('../x.zip', new Date(2026, 0, 2, 3, 4, 5))).toBe('dataflux-func-20260102_030405.zip');
    expect(archiveFileName(null, new Date(2026, 11, 7, 13, 14, 15))).toBe('dataflux-func-20261207_131415.zip');
  });
});
