/** Top-level functions of a Python draft, with a kwargs template from their parameters. */
export interface DraftFunction {
  name: string;
  exported: boolean;
  kwargsTemplate: Record<string, unknown>;
}

function literal(text: string | undefined): unknown {
  if (text === undefined) return null;
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'True') return true;
  if (t === 'False') return false;
  if (/^'[^'\\]*'$|^"[^"\\]*"$/.test(t)) return t.slice(1, -1);
  return null;
}

function kwargsOf(params: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of params.split(',')) {
    const [rawName, def] = part.split('=', 2);
    const name = (rawName ?? '').split(':')[0]?.trim() ?? '';
    if (!/^[A-Za-z_]\w*$/.test(name) || name === 'self') continue;
    out[name] = literal(def);
  }
  return out;
}

export function parseFunctions(code: string): DraftFunction[] {
  const lines = code.split('\n');
  const out: DraftFunction[] = [];
  let decorated = false;
  for (const line of lines) {
    if (/^@DFF\.API\b/.test(line)) decorated = true;
    const m = /^def\s+([A-Za-z_]\w*)\s*\(([^)]*)\)?/.exec(line);
    if (m) {
      if (!m[1]!.startsWith('_')) out.push({ name: m[1]!, exported: decorated, kwargsTemplate: kwargsOf(m[2] ?? '') });
      decorated = false;
    } else if (/^\S/.test(line) && !line.startsWith('@') && !line.startsWith('#')) {
      decorated = false;
    }
  }
  return out;
}
