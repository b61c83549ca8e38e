/** Access keys: a random secret kept encrypted, answered once by add and never again. */
import { randomBytes } from 'node:crypto';
import { newId } from '../ids.js';
import { pick, stamp, type EntityRules } from './entity-rules.js';

export const accessKeyRules: EntityRules<'accessKeys'> = {
  name: 'accessKeys',
  fromAdd: (d, deps, actor) => {
    const secret = randomBytes(24).toString('base64url').slice(0, 32);
    return Promise.resolve({
      id: newId('ak'),
      userId: actor.user.id,
      name: d.title ?? d.name ?? null,
      secretCipher: deps.secrets.encrypt(secret),
      isDisabled: d.isDisabled === true,
      ...stamp(deps),
    });
  },
  fromModify: (d, _e, deps) => Promise.resolve({ ...(d.title !== undefined ? { name: d.title } : {}), ...pick(d, ['isDisabled']), updateTime: deps.now() }),
  addedView: (row, deps) => ({ secret: deps.secrets.decrypt(row.secretCipher) }),
  toApi: ({ secretCipher: _s, ...rest }) => ({ ...rest, title: rest.name }),
};
