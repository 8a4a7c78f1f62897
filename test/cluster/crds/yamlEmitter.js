// The YAML writer of the generated CRDs (see generate.js).
/* eslint-env node, es2020 */
'use strict';

// --- a tiny YAML emitter (block style; enough for these documents) -------------
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const scalar = v =>
  typeof v === 'string'
    ? PLAIN.test(v) && !RESERVED.test(v)
      ? v
      : `'${v.replace(/'/g, "''")}'` // single-quoted, like prettier
    : String(v);
const isEmpty = v => typeof v === 'object' && Object.keys(v).length === 0;
function yaml(v, indent = '') {
  if (Array.isArray(v)) {
    return v
      .map(x => {
        if (typeof x !== 'object' || isEmpty(x)) {
          return `${indent}- ${
            isEmpty(x) ? (Array.isArray(x) ? '[]' : '{}') : scalar(x)
          }\n`;
        }
        // First line of the nested block goes after the dash.
        const inner = yaml(x, `${indent}  `);
        return `${indent}- ${inner.slice(indent.length + 2)}`;
      })
      .join('');
  }
  return Object.entries(v)
    .map(([k, x]) => {
      if (typeof x !== 'object') return `${indent}${scalar(k)}: ${scalar(x)}\n`;
      if (isEmpty(x))
        return `${indent}${scalar(k)}: ${Array.isArray(x) ? '[]' : '{}'}\n`;
      // Nested blocks (maps and sequences) are indented by two spaces.
      return `${indent}${scalar(k)}:\n${yaml(x, `${indent}  `)}`;
    })
    .join('');
}

module.exports = { yaml };
