/** Env variables: the value must cast to its type; a password value is kept encrypted and never shown. */
import { badField } from '../../../../contract/errors.js';
import { castEnvValue, tryCastEnvValue } from '../env/cast-env-value.js';
import type { EntityRows } from '../ports/store.js';
import { nothingAdded, pick, stamp, type EntityRules } from './entity-rules.js';

export const envVariableRules: EntityRules<'envVariables'> = {
  name: 'envVariables',
  fromAdd: (d, deps) => {
    const type = d.autoTypeCasting;
    castEnvValue(type, d.valueTEXT, 'valueTEXT');
    const value = type === 'password' ? deps.secrets.encrypt(d.valueTEXT) : d.valueTEXT;
    return Promise.resolve({ id: d.id, title: d.title ?? null, description: d.description ?? null, autoTypeCasting: type, valueTEXT: value, ...stamp(deps) });
  },
  fromModify: (d, e, deps) => {
    const type = d.autoTypeCasting ?? e.autoTypeCasting;
    const patch: Partial<EntityRows['envVariables']> = { ...pick(d, ['title', 'description']), autoTypeCasting: type, updateTime: deps.now() };
    if (d.valueTEXT !== undefined) {
      castEnvValue(type, d.valueTEXT, 'valueTEXT');
      patch.valueTEXT = type === 'password' ? deps.secrets.encrypt(d.valueTEXT) : d.valueTEXT;
    } else if (type !== e.autoTypeCasting && (type === 'password' || e.autoTypeCasting === 'password')) {
      throw badField('valueTEXT', 'is required when changing to or from the password type');
    } else if (type !== e.autoTypeCasting) {
      // A new type alone must fit the value kept (as add checks the pair), or every DFF.ENV read of it would fail.
      const cast = tryCastEnvValue(type, e.valueTEXT);
      if (!cast.ok) throw badField('autoTypeCasting', `"${type}" does not fit the value kept (valueTEXT ${cast.problem}): send a valueTEXT of that type with it`);
    }
    return Promise.resolve(patch);
  },
  addedView: nothingAdded,
  toApi: (row) => (row.autoTypeCasting === 'password' ? { ...row, valueTEXT: undefined } : { ...row }),
};
