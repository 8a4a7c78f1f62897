import { Path, list, obj, str } from './model';

/** Connection spec keys and the type names Hedgehog uses for them (label values). */
export const CONNECTION_TYPES: Readonly<Record<string, string>> = {
  unbundled: 'unbundled',
  bundled: 'bundled',
  mclag: 'mclag',
  eslag: 'eslag',
  mclagDomain: 'mclag-domain',
  fabric: 'fabric',
  mesh: 'mesh',
  gateway: 'gateway',
  vpcLoopback: 'vpc-loopback',
  external: 'external',
  staticExternal: 'static-external',
};

export const SERVER_FACING_KEYS = ['unbundled', 'bundled', 'mclag', 'eslag'];
export const IP_LINK_KEYS = ['fabric', 'mesh', 'gateway'];

export type EndpointRole = 'switch' | 'server' | 'gateway';

/** One end of a link: a port of a device. */
export interface Endpoint {
  /** The full port name `<device>/<port>`. */
  port: string;
  device: string;
  /** The port's identity for reuse checks: `X/E1/55` and `X/E1/55/1` are the same port. */
  alias: string;
  role: EndpointRole;
  /** JSON path of the `port` field. */
  path: Path;
  /** JSON path of the end (the object holding `port` and maybe `ip`). */
  endPath: Path;
  ip?: string;
}

export interface LinkModel {
  index: number;
  path: Path;
  ends: Endpoint[];
}

export interface ConnectionModel {
  /** The spec keys that are connection types (exactly one in a valid Connection). */
  keys: string[];
  /** The first type key, when there is one. */
  key?: string;
  /** Hedgehog's type name of `key`. */
  type?: string;
  links: LinkModel[];
  endpoints: Endpoint[];
  switches: Set<string>;
  servers: Set<string>;
  gateways: Set<string>;
}

/**
 * A breakout alias: Hedgehog treats a port with two slashes (`leaf/E1/55`) as the
 * first breakout sub-port (`leaf/E1/55/1`).
 */
export function portAlias(port: string): string {
  return port.split('/').length === 3 ? `${port}/1` : port;
}

/** Splits `<device>/<port>`; undefined unless both parts are non-empty. */
export function splitPort(port: unknown): { device: string; local: string } | undefined {
  if (typeof port !== 'string') return undefined;
  const slash = port.indexOf('/');
  if (slash <= 0 || slash === port.length - 1) return undefined;
  return { device: port.slice(0, slash), local: port.slice(slash + 1) };
}

const SIDES: Record<string, Array<[string, EndpointRole]>> = {
  unbundled: [['server', 'server'], ['switch', 'switch']],
  bundled: [['server', 'server'], ['switch', 'switch']],
  mclag: [['server', 'server'], ['switch', 'switch']],
  eslag: [['server', 'server'], ['switch', 'switch']],
  mclagDomain: [['switch1', 'switch'], ['switch2', 'switch']],
  fabric: [['spine', 'switch'], ['leaf', 'switch']],
  mesh: [['leaf1', 'switch'], ['leaf2', 'switch']],
  gateway: [['switch', 'switch'], ['gateway', 'gateway']],
  vpcLoopback: [['switch1', 'switch'], ['switch2', 'switch']],
  external: [['switch', 'switch']],
  staticExternal: [['switch', 'switch']],
};

/** Where the links of a type are: a single `link`, or lists. */
const LINK_LISTS: Record<string, string[]> = {
  unbundled: [],
  external: [],
  staticExternal: [],
  mclagDomain: ['peerLinks', 'sessionLinks'],
};

/** Reads a Connection spec into its type, links and endpoints. */
export function connectionModel(spec: Record<string, any>): ConnectionModel {
  const keys = Object.keys(spec).filter(k => k in CONNECTION_TYPES && spec[k] !== null && spec[k] !== undefined);
  const model: ConnectionModel = {
    keys,
    key: keys[0],
    type: keys[0] ? CONNECTION_TYPES[keys[0]] : undefined,
    links: [],
    endpoints: [],
    switches: new Set(),
    servers: new Set(),
    gateways: new Set(),
  };
  const key = model.key;
  const body = key ? obj(spec[key]) : undefined;
  if (!key || !body) return model;

  const raw: Array<{ value: unknown; path: Path }> = [];
  const lists = LINK_LISTS[key] ?? ['links'];
  if (lists.length === 0) {
    raw.push({ value: body.link, path: ['spec', key, 'link'] });
  } else {
    for (const l of lists) {
      list(body[l]).forEach((value, i) => raw.push({ value, path: ['spec', key, l, i] }));
    }
  }
  raw.forEach(({ value, path }, index) => {
    const link = obj(value);
    const ends: Endpoint[] = [];
    for (const [side, role] of SIDES[key]) {
      const end = obj(link?.[side]);
      const parts = splitPort(end?.port);
      if (!end || !parts) continue;
      const port = end.port as string;
      const e: Endpoint = {
        port,
        device: parts.device,
        alias: portAlias(port),
        role,
        path: [...path, side, 'port'],
        endPath: [...path, side],
        ip: str(end.ip),
      };
      ends.push(e);
      model.endpoints.push(e);
      if (role === 'switch') model.switches.add(parts.device);
      else if (role === 'server') model.servers.add(parts.device);
      else model.gateways.add(parts.device);
    }
    model.links.push({ index, path, ends });
  });
  return model;
}
