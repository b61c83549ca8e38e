import { writeFileSync } from 'node:fs';
const rows: string[] = [];
export function tr(label: string): void {
  if (rows.length < 200000) rows.push(`${process.hrtime.bigint()} ${label}`);
}
process.on('SIGUSR2', () => writeFileSync(`/tmp/trace/${process.pid}.txt`, rows.join('\n')));
