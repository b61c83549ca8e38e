import { badField } from '../../../contract/errors.js';

/**
 * An `application/x-www-form-urlencoded` body's fields, as DataFlux Func's `qs` reads them and as a
 * query string is read here: a key given once is its text, a key given again is the list of its
 * texts in order (a multi-select, checkboxes). Flat: `a[b]=1` is the key `a[b]`.
 */
export function formFields(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    // As in JSON bodies: a key that would reach an object's prototype where the fields are copied.
    if (key === '__proto__') throw badField('body.__proto__', 'a field named __proto__ is refused in form bodies');
    const prev = Object.hasOwn(out, key) ? out[key] : undefined;
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}
