import { bracketFields, type FieldValue } from './bracket-fields.js';

/**
 * An `application/x-www-form-urlencoded` body's fields, as DataFlux Func's body-parser reads them
 * (`extended: true`, the `qs` package) and as a query string is read here: a key given once is its
 * text, a key given again is the list of its texts in order (a multi-select, checkboxes), and
 * bracket keys nest (`kwargs[x]=1&options[returnType]=jsonDumps`, server/bracket-fields.ts). A key
 * named `__proto__` is refused (400 naming it), as in JSON bodies.
 */
export function formFields(text: string): Record<string, FieldValue> {
  return bracketFields(new URLSearchParams(text), 'body');
}
