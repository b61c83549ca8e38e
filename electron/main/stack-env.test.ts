import { describe, expect, it } from 'vitest';
import { stackEnv } from './stack-env.js';

describe('stackEnv', () => {
  it('puts the data in the app-data folder, binds loopback and drops foreign FUNC_ settings', () => {
    const env = stackEnv({
      userData: '/u/Func',
      port: 4000,
      adminPassword: 'pw',
      secret: 's',
      base: { PATH: '/bin', FUNC_REDIS_URL: 'redis://x', FUNC_PYTHON: '/usr/bin/python3', FUNC_HOME: '/elsewhere' },
    });
    expect(env).toEqual({
      PATH: '/bin',
      FUNC_PYTHON: '/usr/bin/python3',
      FUNC_HOME: '/u/Func/stack',
      FUNC_HOST: '127.0.0.1',
      FUNC_PORT: '4000',
      FUNC_ADMIN_PASSWORD: 'pw',
      FUNC_SECRET: 's',
    });
  });
});
