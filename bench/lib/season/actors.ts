/**
 * The season's trade parties: how many of each kind, their roles and countries, when each is onboarded (most in
 * the setup block, the rest during the season: NEW_PARTY for their first 90 days), and the Credential and Actor
 * records onboarding writes (subgraph/src/actorRegistry.ts).
 */
import { BUSINESS_ROLES, roleNames } from "../../../scripts/lib/vocabulary";
import type { Prng } from "../../../lib/prng";
import { DAY, addr, sha, type SeasonState } from "./state";

const { MILL, PROCESSOR, EXPORTER, IMPORTER, CUSTOMS_BROKER, CARRIER, CERTIFIER } = BUSINESS_ROLES;

export const MILL_COUNTRIES = ["CN", "CN", "CN", "KR", "JP", "DE", "TR", "IN", "BR", "MX", "RU", "TW", "IT", "CA"];
const PROCESSOR_COUNTRIES = ["VN", "VN", "MY", "TH", "KR", "MX", "CA", "TR", "IN", "DE", "JP", "CN"];
/** Processors here mostly roll CN heats: the transshipment pattern the rules look for. */
export const VIA_CHINA = new Set(["VN", "MY", "TH"]);

export type ActorKind = "mill" | "processor" | "exporter" | "importer" | "broker" | "carrier" | "certifier";

/** Each kind of party: its roles and its share of the actors. */
const LAYOUT: [ActorKind, number, number][] = [
  ["mill", MILL | EXPORTER, 0.1],
  ["processor", PROCESSOR | EXPORTER, 0.07],
  ["exporter", EXPORTER, 0.25],
  ["importer", IMPORTER, 0.35],
  ["broker", CUSTOMS_BROKER, 0.1],
  ["carrier", CARRIER, 0.05],
  ["certifier", CERTIFIER, 0.08],
];

interface Onboarding {
  id: string;
  roles: number;
  country: string;
  block: number;
  kind: ActorKind;
}

export class Actors {
  readonly byRole: Record<ActorKind, string[]> = {
    mill: [],
    processor: [],
    exporter: [],
    importer: [],
    broker: [],
    carrier: [],
    certifier: [],
  };
  readonly country = new Map<string, string>();
  /** Block time each actor was onboarded, once it is. */
  readonly onboardedAt = new Map<string, number>();
  /** The mills each processor buys heats from: its own country's, or China's. */
  readonly supplier = new Map<string, string[]>();
  /** Exporters CBP suspends in block 2. */
  readonly suspended: Set<string>;
  readonly issuers = [0, 1, 2, 3, 4].map((i) => addr(`issuer:${i}`));
  private readonly onboardings: Onboarding[] = [];

  /** `count` actors (at least a few of each kind), onboarded by block `lastOnboarding`. */
  constructor(
    private readonly rng: Prng,
    count: number,
    lastOnboarding: number,
  ) {
    for (const [kind, roles, share] of LAYOUT) {
      const n = Math.max(kind === "carrier" ? 4 : 6, Math.round(count * share));
      for (let i = 0; i < n; i++) {
        const id = addr(`actor:${kind}:${i}`);
        const country = this.countryOf(kind, i);
        this.country.set(id, country);
        this.byRole[kind].push(id);
        const block = i < 3 || rng.chance(0.9) ? 1 : rng.int(2, Math.max(2, lastOnboarding));
        this.onboardings.push({ id, roles, country, block, kind });
      }
    }
    for (const p of this.byRole.processor) {
      const c = this.country.get(p)!;
      const own = this.millsIn(c);
      this.supplier.set(p, VIA_CHINA.has(c) || own.length === 0 ? this.millsIn("CN") : own);
    }
    this.suspended = new Set(this.byRole.exporter.filter((_x, i) => i % 97 === 5));
  }

  private countryOf(kind: ActorKind, i: number): string {
    if (kind === "mill") return MILL_COUNTRIES[i % MILL_COUNTRIES.length];
    if (kind === "processor") return PROCESSOR_COUNTRIES[i % PROCESSOR_COUNTRIES.length];
    if (kind === "importer" || kind === "broker") return "US";
    return this.rng.pick([...MILL_COUNTRIES, ...PROCESSOR_COUNTRIES]);
  }

  private millsIn(c: string): string[] {
    return this.byRole.mill.filter((m) => this.country.get(m) === c);
  }

  /** A party that trades: an onboarded one of `list` (the first of it when none is yet). */
  pickActive(list: string[]): string {
    for (let t = 0; t < 20; t++) {
      const x = this.rng.pick(list);
      if (this.onboardedAt.has(x)) return x;
    }
    return list.find((x) => this.onboardedAt.has(x)) ?? list[0];
  }

  /** ActorOnboarded for every actor due in the state's block: a Credential and its Actor. */
  onboard(state: SeasonState): void {
    const ts = state.ts;
    for (const o of this.onboardings) {
      if (o.block !== state.block) continue;
      const credential = sha(`credential:${o.id}`);
      const issuer = this.issuers[o.id.charCodeAt(5) % this.issuers.length];
      const validFrom = BigInt(ts);
      const validUntil = BigInt(ts + 3 * 365 * DAY);
      const did = `did:web:${o.kind}-${o.id.slice(2, 10)}.example`;
      state.put("Credential", credential, {
        id: credential,
        subject: o.id,
        issuer,
        did,
        roles: o.roles,
        country: o.country,
        validFrom,
        validUntil,
        status: "CURRENT",
        replaces: null,
        submittedBy: o.id,
        onboardedAt: BigInt(ts),
        revokedAt: null,
        revokedBy: null,
        revocationReason: null,
      });
      const names = roleNames(o.roles);
      state.put("Actor", o.id, {
        id: o.id,
        did,
        roles: o.roles,
        roleNames: names,
        // the generated issuers stay trusted for every role they signed
        trustedRoles: o.roles,
        trustedRoleNames: names,
        country: o.country,
        legalNameHash: sha(`name:${o.id}`),
        identifiersHash: sha(`ids:${o.id}`),
        currentCredential: credential,
        issuer,
        validFrom,
        validUntil,
        credentialRevoked: false,
        suspended: false,
        onboardedAt: BigInt(ts),
        onboardedAtBlock: BigInt(state.block),
      });
      this.onboardedAt.set(o.id, ts);
      state.logIndex++;
    }
  }

  /** CBP suspends some exporters (block 2). */
  suspend(state: SeasonState): void {
    for (const id of this.suspended) {
      const a = state.get("Actor", id);
      if (!a) continue;
      a.suspended = true;
      state.touch("Actor", id);
    }
  }
}
