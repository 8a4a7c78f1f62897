/* The schema language of layer 1, and the builders the per-kind tables are written with. */

export type Format = 'cidr' | 'ipv4' | 'ip' | 'mac' | 'community' | 'port' | 'cidr-or-any';

export type Schema =
  | { t: 'string'; enum?: readonly string[]; format?: Format }
  | { t: 'int'; min: number; max: number; zeroMeansDefault?: boolean }
  | { t: 'bool' }
  | { t: 'object'; fields: Record<string, Schema>; required?: readonly string[] }
  | { t: 'map'; values: Schema; keys?: Format; min?: number; max?: number }
  | { t: 'list'; items: Schema; min?: number; max?: number }
  | { t: 'any' };

export const string = (extra: { enum?: readonly string[]; format?: Format } = {}): Schema => ({ t: 'string', ...extra });
export const int = (min: number, max: number, zeroMeansDefault = false): Schema => ({ t: 'int', min, max, zeroMeansDefault });
export const u8 = int(0, 255);
export const u16 = int(0, 65535);
export const u32 = int(0, 4294967295);
export const bool: Schema = { t: 'bool' };
export const any: Schema = { t: 'any' };
export const object = (fields: Record<string, Schema>, required: readonly string[] = []): Schema => ({ t: 'object', fields, required });
export const map = (values: Schema, extra: { keys?: Format; min?: number; max?: number } = {}): Schema => ({ t: 'map', values, ...extra });
export const listOf = (items: Schema, min?: number, max?: number): Schema => ({ t: 'list', items, min, max });
export const strings = listOf(string());
