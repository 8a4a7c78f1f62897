// One CustomResourceDefinition (apiextensions.k8s.io/v1) from a row of the
// kinds table (kinds.js).
/* eslint-env node, es2020 */
'use strict';

const { str, obj } = require('./schemaBlocks');

function crd([g, kind, plural, shortNames, categories, spec]) {
  const group = `${g}.githedgehog.com`;
  const names = {
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    categories: ['hedgehog', ...categories],
  };
  if (shortNames.length) names.shortNames = shortNames;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names,
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: obj({
              apiVersion: str,
              kind: str,
              metadata: { type: 'object' },
              spec,
              status: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
            }),
          },
        },
      ],
    },
  };
}

module.exports = { crd };
