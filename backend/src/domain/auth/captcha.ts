/**
 * DataFlux Func's captcha: a client picks a random `captchaToken`, fetches the image for it
 * (`GET /api/v1/captcha/do/get?captchaCategory=signIn&captchaToken=…`), and sends the token with
 * the 4 digits it shows beside its sign-in or password change. Func checks it only when
 * FUNC_CAPTCHA=true (off by default: the sign-in guard's per-user and per-IP limits stand against
 * guessing); otherwise the fields are accepted and ignored. An answer is good once, for
 * CAPTCHA_TTL_MS, and kept in the store so every server of a stack knows it.
 */
import { randomInt } from 'node:crypto';
import { ApiError } from '../../../../contract/errors.js';
import type { ExpiringValueOps } from '../ports/admin-store.js';

export const CAPTCHA_TTL_MS = 300_000;
export type CaptchaCategory = 'signIn' | 'changePassword';

const key = (category: CaptchaCategory, token: string): string => `captcha:${category}:${token}`;

/** Four random digits drawn as an SVG, with noise lines. */
export function captchaSvg(text: string): string {
  const width = 120;
  const height = 40;
  const parts: string[] = [];
  for (let i = 0; i < 5; i++) {
    const color = `hsl(${randomInt(360)},60%,60%)`;
    parts.push(`<line x1="${randomInt(width)}" y1="${randomInt(height)}" x2="${randomInt(width)}" y2="${randomInt(height)}" stroke="${color}" stroke-width="1.5"/>`);
  }
  text.split('').forEach((ch, i) => {
    const x = 18 + i * 26;
    const y = 28 + randomInt(-4, 5);
    const angle = randomInt(-25, 26);
    parts.push(
      `<text x="${x}" y="${y}" font-family="monospace" font-size="26" font-weight="bold" fill="hsl(${randomInt(360)},55%,35%)" transform="rotate(${angle} ${x} ${y})">${ch}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#f4f4f4"/>${parts.join('')}</svg>`;
}

export class Captchas {
  constructor(
    private readonly values: ExpiringValueOps,
    private readonly now: () => number,
  ) {}

  /**
   * A new answer for this token (replacing an earlier one), as an SVG image. Kept only when the
   * captcha is checked (`keep`): otherwise nobody could make the store write by asking for images.
   * Expired answers are pruned here.
   */
  async issue(category: CaptchaCategory, token: string, keep: boolean): Promise<string> {
    const text = String(randomInt(10_000)).padStart(4, '0');
    if (keep) {
      const now = this.now();
      await this.values.prune(now);
      await this.values.set(key(category, token), text, now + CAPTCHA_TTL_MS, now);
    }
    return captchaSvg(text);
  }

  /** Refuses a missing, expired, used or wrong captcha (400 naming the field); the answer is used up either way. */
  async check(category: CaptchaCategory, token: string | undefined, answer: string | undefined): Promise<void> {
    if (!token) throw new ApiError('EClientBadRequest', 'captchaToken: required (get an image from /api/v1/captcha/do/get first)', { field: 'captchaToken' });
    if (!answer) throw new ApiError('EClientBadRequest', 'captcha: required', { field: 'captcha' });
    const expected = await this.values.take(key(category, token), this.now());
    if (expected === undefined) throw new ApiError('EClientBadRequest', 'captcha: expired or already used; get a new image', { field: 'captcha' });
    if (expected !== answer.trim()) throw new ApiError('EClientBadRequest', 'captcha: wrong', { field: 'captcha' });
  }
}
