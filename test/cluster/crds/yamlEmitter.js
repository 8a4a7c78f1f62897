// The YAML writer of the generated CRDs (see generate.js).
/* eslint-env node, es2020 */
'use strict';

// --- a tiny YAML emitter (block style; enough for these documents) -------------
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
function scalar(v) {
  if (typeof v !== 'string') return String(v);
  if (PLAIN.test(v) && !RESERVED.test(v)) return v;
  return `'${v.replace(/'/g, "''")}'`; // single-quoted, like prettier
}
const isEmpty = v => typeof v === 'object' && Object.keys(v).length === 0;
const emptyValue = v => (Array.isArray(v) ? '[]' : '{}');
function yaml(v, indent = '') {
  if (Array.isArray(v)) {
    return v
      .map(x => {
        if (typeof x !== 'object' || isEmpty(x)) {
          return `${indent}- ${isEmpty(x) ? emptyValue(x) : scalar(x)}\n`;
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
        return `${indent}${scalar(k)}: ${emptyValue(x)}\n`;
      // Nested blocks (maps and sequences) are indented by two spaces.
      return `${indent}${scalar(k)}:\n${yaml(x, `${indent}  `)}`;
    })
    .join('');
}

module.exports = { yaml };
