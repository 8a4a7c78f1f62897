/*
 * Bounds of the actions' answers: an agent's context is small, so every list an
 * action answers is cut, with the number left out, and large values are shortened.
 */

/** The first `max` items, and how many were left out. Pure. */
export function firstOf<T>(items: readonly T[], max: number): { items: T[]; leftOut: number } {
  return { items: items.slice(0, max), leftOut: Math.max(0, items.length - max) };
}

/**
 * A JSON value as it is when its JSON text has at most `maxChars` characters, else
 * that text's first `maxChars` characters and a note of how many were left out (a
 * string, so the answer stays valid JSON). Pure.
 */
export function boundedValue(value: unknown, maxChars: number): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= maxChars) return value;
  return `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters left out)`;
}
