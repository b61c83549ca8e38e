import { describe, expect, it } from 'vitest';
import { CONNECTOR_CONFIGS } from './connectors.js';

describe("a Redis connector's database in its config", () => {
  it('is a whole number from 0 to 1000, or its digits; an empty field is no choice', () => {
    const parse = (database: unknown) => CONNECTOR_CONFIGS.redis.safeParse({ host: '127.0.0.1', database });
    expect(parse(3).data?.database).toBe(3);
    expect(parse('12').data?.database).toBe(12);
    expect(parse('').data?.database).toBeNull();
    expect(parse(null).data?.database).toBeNull();
    expect(CONNECTOR_CONFIGS.redis.safeParse({ host: '127.0.0.1' }).data?.database).toBeUndefined();
    for (const bad of [' ', '0x10', 'abc', -1, 1001, 1.5]) expect(parse(bad).success, String(bad)).toBe(false);
  });
});
