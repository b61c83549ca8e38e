/**
 * System settings (DataFlux Func's `system-settings`), the ones that mean something in Func: the
 * console's site title, favicon, logo, notice bar and doc link. Left out: DataFlux's instance id,
 * Guance/TrueWatch upload, the script market and its hidden sets (see docs/operations.md). A
 * setting nobody set reads as its default; setting null or an empty value puts the default back.
 */
import { z } from 'zod';
import { badField } from '../../../../contract/errors.js';
import type { SettingOps } from '../ports/admin-store.js';

const text = (max: number) => z.string().max(max).nullable();
/** A data: URL of an image (base64), as DataFlux Func's console stores it. */
const image = z
  .string()
  .max(1_000_000)
  .regex(/^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+$/, 'must be a data:image/…;base64 URL')
  .nullable();

export const SYSTEM_SETTINGS = {
  UI_COLOR_FLAVOR: { default: 'enterprise', schema: z.enum(['enterprise', 'classic']) },
  CUSTOM_SITE_TITLE_ENABLED: { default: false, schema: z.boolean() },
  CUSTOM_SITE_TITLE_TEXT: { default: null, schema: text(100) },
  CUSTOM_FAVICON_ENABLED: { default: false, schema: z.boolean() },
  CUSTOM_FAVICON_IMAGE_SRC: { default: null, schema: image },
  CUSTOM_LOGO_ENABLED: { default: false, schema: z.boolean() },
  CUSTOM_LOGO_IMAGE_SRC: { default: null, schema: image },
  NOTICE_BAR_ENABLED: { default: false, schema: z.boolean() },
  NOTICE_BAR_TEXT: { default: null, schema: text(1000) },
  NOTICE_BAR_COLOR: { default: '#FF6600', schema: z.string().regex(/^#[0-9a-fA-F]{3,8}$/, 'must be a #RRGGBB colour') },
  NAVI_DOC_LINK_ENABLED: { default: true, schema: z.boolean() },
  NAVI_DOC_LINK_URL: {
    default: 'https://func.guance.com/#/doc-index',
    schema: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .nullable(),
  },
} as const satisfies Record<string, { default: unknown; schema: z.ZodType }>;

export type SystemSettingId = keyof typeof SYSTEM_SETTINGS;

export function isSystemSettingId(id: string): id is SystemSettingId {
  return Object.hasOwn(SYSTEM_SETTINGS, id);
}

function requireId(id: string): SystemSettingId {
  if (!isSystemSettingId(id)) throw badField('params.id', `unknown system setting ${id}; known: ${Object.keys(SYSTEM_SETTINGS).join(', ')}`);
  return id;
}

/** DataFlux Func's "nothing": null, '', [] or {} put the default back. */
const isNothing = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

export class SystemSettings {
  constructor(
    private readonly ops: SettingOps,
    private readonly now: () => number,
  ) {}

  /** id → value (set or default), for the given ids or all; unknown ids are refused. */
  async get(ids?: readonly string[]): Promise<Record<string, unknown>> {
    const wanted = ids === undefined || ids.length === 0 ? (Object.keys(SYSTEM_SETTINGS) as SystemSettingId[]) : ids.map((id) => (isSystemSettingId(id) ? id : requireIdIn(id)));
    const stored = await this.ops.all();
    return Object.fromEntries(wanted.map((id) => [id, Object.hasOwn(stored, id) ? stored[id] : SYSTEM_SETTINGS[id].default]));
  }

  async set(rawId: string, value: unknown): Promise<{ oldValue: unknown; newValue: unknown }> {
    const id = requireId(rawId);
    const oldValue = (await this.get([id]))[id];
    if (isNothing(value)) {
      await this.ops.delete(id);
      return { oldValue, newValue: SYSTEM_SETTINGS[id].default };
    }
    const parsed = SYSTEM_SETTINGS[id].schema.safeParse(value);
    if (!parsed.success) throw badField('data.value', `${id} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    await this.ops.set(id, parsed.data, this.now());
    return { oldValue, newValue: parsed.data };
  }

  async reset(rawId: string): Promise<void> {
    await this.ops.delete(requireId(rawId));
  }
}

function requireIdIn(id: string): never {
  throw badField('query.id', `unknown system setting ${id}; known: ${Object.keys(SYSTEM_SETTINGS).join(', ')}`);
}
