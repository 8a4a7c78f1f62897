// Schema building blocks of the Hedgehog CRDs (see generate.js): scalar and
// container shorthands for structural OpenAPI v3 schemas, and the shapes
// several kinds share.
/* eslint-env node, es2020 */
'use strict';

// --- schema building blocks ---------------------------------------------------
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const strs = { type: 'array', items: str };
const oneOf = (...values) => ({ type: 'string', enum: values });
const obj = (properties, extra = {}) => ({
  type: 'object',
  properties,
  ...extra,
});
const list = (items, extra = {}) => ({ type: 'array', items, ...extra });
const map = values => ({ type: 'object', additionalProperties: values });
// Free-form value whose exact shape is not known here (kept, not pruned).
const any = { 'x-kubernetes-preserve-unknown-fields': true };

// Connection endpoints: `<device>/<port>`, some with a /31 `ip` (hydration).
const port = obj({ port: str });
const portIP = obj({ port: str, ip: str });
const serverLink = obj({ server: port, switch: port });
const switchPair = obj({ switch1: port, switch2: port });
const serverLinks = (min = 0) =>
  obj({
    links: list(serverLink, min ? { minItems: min } : {}),
    mtu: int,
    fallback: bool,
  });

const dhcpOptions = obj({
  pxeURL: str,
  dnsServers: strs,
  timeServers: strs,
  interfaceMTU: int,
  leaseTimeSeconds: int,
  disableDefaultRoute: bool,
  advertisedRoutes: list(obj({ destination: str, gateway: str })),
});
const vpcSubnet = obj({
  subnet: str,
  gateway: str,
  vlan: int,
  isolated: bool,
  restricted: bool,
  hostBGP: bool,
  dhcp: obj({
    enable: bool,
    relay: str,
    relayVPC: str,
    range: obj({ start: str, end: str }),
    options: dhcpOptions,
    static: map(obj({ ip: str })), // MAC -> {ip}
  }),
});

module.exports = {
  str,
  int,
  bool,
  strs,
  oneOf,
  obj,
  list,
  map,
  any,
  port,
  portIP,
  serverLink,
  switchPair,
  serverLinks,
  dhcpOptions,
  vpcSubnet,
};
