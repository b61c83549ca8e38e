import { parse as parseFlat } from 'fast-querystring';
import { ApiError, badField } from '../../../contract/errors.js';
import { bracketFields, MAX_PARAMETERS, mayHaveBrackets, parameterLimitCut, type FieldValue } from './bracket-fields.js';

/**
 * An `application/x-www-form-urlencoded` body's fields, as DataFlux Func's body-parser reads them
 * (`extended: true`, the `qs` package) and as a query string is read here: a key given once is its
 * text, a key given again is the list of its texts in order (a multi-select, checkboxes), and
 * bracket keys nest (`kwargs[x]=1&options[returnType]=jsonDumps`, server/bracket-fields.ts). A key
 * named `__proto__` is refused (400 naming it), as in JSON bodies. More than MAX_PARAMETERS (1000)
 * pairs are refused before any is read (413), as body-parser's `parameterLimit` refuses them: a
 * large body of many small pairs would otherwise hold the server for seconds before authentication.
 * A body without a bracket is read flat and pays for nothing else.
 */
export function formFields(text: string): Record<string, FieldValue> {
  if (text.length >= MAX_PARAMETERS && parameterLimitCut(text) !== -1) {
    throw new ApiError('EClientPayloadTooLarge', `body: too many parameters: more than ${MAX_PARAMETERS} key=value pairs in a form body (DataFlux Func's limit)`, {
      field: 'body',
    });
  }
  const flat = parseFlat(text) as Record<string, string | string[]>;
  if (mayHaveBrackets(text)) return bracketFields(flat, 'body');
  if (Object.hasOwn(flat, '__proto__')) throw badField('body.__proto__', 'a key named __proto__, or constructor holding prototype, is refused in query strings and form bodies');
  return flat;
}
