/** Env variables are text cast by their type (DataFlux Func's autoTypeCasting). */
import { badField } from '../../../../contract/errors.js';

type Cast = { ok: true; value: unknown } | { ok: false; problem: string };

/** `text` cast to `type`, or what is wrong with it (`"abc" is not an integer`). An unknown type is refused naming autoTypeCasting. */
export function tryCastEnvValue(type: string, text: string): Cast {
  const ok = (value: unknown): Cast => ({ ok: true, value });
  const not = (problem: string): Cast => ({ ok: false, problem });
  switch (type) {
    case 'string':
    case 'password':
      return ok(text);
    case 'integer':
      return /^[-+]?\d+$/.test(text.trim()) ? ok(parseInt(text, 10)) : not(`"${text}" is not an integer`);
    case 'float': {
      const n = Number(text);
      return text.trim() === '' || !Number.isFinite(n) ? not(`"${text}" is not a number`) : ok(n);
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on', 'o'].includes(t)) return ok(true);
      if (['false', '0', 'no', 'off', 'x', ''].includes(t)) return ok(false);
      return not(`"${text}" is not a boolean (true/false)`);
    }
    case 'json':
      try {
        return ok(JSON.parse(text) as unknown);
      } catch {
        return not('is not valid JSON');
      }
    case 'commaArray':
      // As DataFlux Func's cast (`x.split(',')`): items kept as written, blanks and empty ones too.
      return ok(text.split(','));
    default:
      throw badField('autoTypeCasting', `"${type}" is not a known type`);
  }
}

/** `text` cast to `type`; a value that does not cast is a 400 naming `field`. */
export function castEnvValue(type: string, text: string, field = 'valueTEXT'): unknown {
  const cast = tryCastEnvValue(type, text);
  if (!cast.ok) throw badField(field, cast.problem);
  return cast.value;
}
