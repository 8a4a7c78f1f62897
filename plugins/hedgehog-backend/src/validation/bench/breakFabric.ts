type Obj = Record<string, any>;

/** Faults to put into a generated fabric (see generateFabric), for tests of findings at scale. */
export interface FabricFaults {
  /** The first n VPCs lose the VLAN of their subnet: one `vpc.subnet-vlan` error each. */
  vpcsWithoutVlan?: number;
  /**
   * Switches without asn, ip, protocolIP and vtepIP, fabric links without IPs, as
   * a wiring diagram before hhfab hydrates it: one `hydration.switch` warning per
   * switch, one `hydration.link` warning per fabric connection.
   */
  unhydrated?: boolean;
}

/**
 * A copy of a generated fabric with the given faults (the objects it changes are
 * copied; the others are shared). Pure and deterministic.
 */
export function breakFabric(objects: Obj[], faults: FabricFaults): Obj[] {
  let vpcs = faults.vpcsWithoutVlan ?? 0;
  return objects.map(o => {
    if (o.kind === 'VPC' && vpcs > 0) {
      vpcs--;
      const copy = copyOf(o);
      for (const subnet of Object.values(copy.spec.subnets) as Obj[]) delete subnet.vlan;
      return copy;
    }
    if (faults.unhydrated && o.kind === 'Switch') {
      const copy = copyOf(o);
      for (const field of ['asn', 'ip', 'protocolIP', 'vtepIP']) delete copy.spec[field];
      return copy;
    }
    if (faults.unhydrated && o.kind === 'Connection' && o.spec.fabric) {
      const copy = copyOf(o);
      for (const link of copy.spec.fabric.links) {
        delete link.spine.ip;
        delete link.leaf.ip;
      }
      return copy;
    }
    return o;
  });
}

/**
 * A deep copy of a JSON value made of literals, so its objects are plain objects
 * of this realm, as a YAML parser makes them (JSON.parse and structuredClone may
 * make them in another realm under a test runner's sandbox).
 */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (value && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyOf(v);
    return out as T;
  }
  return value;
}
