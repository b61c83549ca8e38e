/** Env variables are text cast by their type (DataFlux Func's autoTypeCasting). */
import { badField } from '../../../../contract/errors.js';

export function castEnvValue(type: string, text: string, field = 'valueTEXT'): unknown {
  switch (type) {
    case 'string':
    case 'password':
      return text;
    case 'integer': {
      if (!/^[-+]?\d+$/.test(text.trim())) throw badField(field, `"${text}" is not an integer`);
      return parseInt(text, 10);
    }
    case 'float': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw badField(field, `"${text}" is not a number`);
      return n;
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on', 'o'].includes(t)) return true;
      if (['false', '0', 'no', 'off', 'x', ''].includes(t)) return false;
      throw badField(field, `"${text}" is not a boolean (true/false)`);
    }
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw badField(field, 'is not valid JSON');
      }
    case 'commaArray':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      throw badField('autoTypeCasting', `"${type}" is not a known type`);
  }
}
