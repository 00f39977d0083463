/**
 * Who plays the season of `npm start`, as data: the trading lanes (where steel is melted, the port it leaves from,
 * who makes, sells and certifies it), the other actors, the entry ports and the HTS numbers the filings use.
 */
import { BusinessRole } from "./actors";

export interface Lane {
  country: string;
  port: string;
  mill: string;
  exporter: string;
  chamber: string;
}

/** Trading lanes: where the steel is melted, the port it leaves from, and who makes, sells and certifies it. */
export const LANES: Lane[] = [
  { country: "KR", port: "KRPUS", mill: "POSCO Pohang", exporter: "Hyundai Corp", chamber: "KCCI Seoul" },
  { country: "VN", port: "VNSGN", mill: "Hoa Phat Dung Quat", exporter: "Saigon Steel Trading", chamber: "VCCI HCMC" },
  { country: "TR", port: "TRMER", mill: "Erdemir Eregli", exporter: "Borusan Export", chamber: "TOBB Istanbul" },
  { country: "MX", port: "MXZLO", mill: "Ternium Monterrey", exporter: "Aceros del Norte", chamber: "CANACERO" },
  { country: "DE", port: "DEHAM", mill: "Salzgitter Flachstahl", exporter: "Hanseatic Steel", chamber: "IHK Hamburg" },
  { country: "IN", port: "INNSA", mill: "JSW Vijayanagar", exporter: "Mumbai Metals", chamber: "FIEO Mumbai" },
];
export const [KR_LANE, VN_LANE, TR_LANE, MX_LANE, DE_LANE] = LANES;

/** Chinese steel: melted by Baosteel, certified in Shanghai; it has no exporter of its own in the season. */
export const CN_LANE: Lane = {
  country: "CN",
  port: "CNSHA",
  mill: "Baosteel Shanghai",
  exporter: "Hyundai Corp",
  chamber: "CCPIT Shanghai",
};

/** Mills without gas: they sign (EIP-712) and the credential relay submits. */
export const GASLESS_MILLS = new Set(LANES.filter((l) => l.country === "VN" || l.country === "IN").map((l) => l.mill));

export const ENTRY_PORTS = ["USHOU", "USLAX", "USNYC", "USSEA"];
export const HTS = {
  linePipeSeamless: 7304191020n,
  plate: 7208510030n,
  weldedPipe: 7306191010n,
  fittings: 7326909000n,
};

/** The two credential issuers CBP trusts (the western one for US, MX, DE and TR actors) and their relay. */
export const ISSUERS = { asia: "Asia Trade Credentials", west: "Atlantic Trade Credentials" };
export const RELAY = "Credential Relay Service";
export const WEST = new Set(["US", "MX", "DE", "TR"]);

export const IMPORTERS = ["Gulf Coast Pipe Supply", "Pacific Steel Imports", "Atlantic Metals Inc"];
export const BROKERS = ["Harbor Customs Brokerage", "Lone Star Brokers"];
export const CARRIERS = ["HMM Ocean", "Hapag-Lloyd", "Arkas Line"];

export interface ActorSpec {
  name: string;
  roles: number;
  country: string;
}

/** Every actor the issuers onboard, in onboarding order: each lane's mill, exporter and chamber, then the rest. */
export function castOf(): ActorSpec[] {
  const specs: ActorSpec[] = [];
  for (const lane of LANES) {
    specs.push({ name: lane.mill, roles: BusinessRole.Mill, country: lane.country });
    specs.push({ name: lane.exporter, roles: BusinessRole.Exporter, country: lane.country });
    specs.push({ name: lane.chamber, roles: BusinessRole.Certifier, country: lane.country });
  }
  specs.push(
    { name: CN_LANE.mill, roles: BusinessRole.Mill, country: "CN" },
    { name: CN_LANE.chamber, roles: BusinessRole.Certifier, country: "CN" },
    { name: "SeAH Steel Pipe", roles: BusinessRole.Processor, country: "KR" },
    ...IMPORTERS.map((name) => ({ name, roles: BusinessRole.Importer, country: "US" })),
    ...BROKERS.map((name) => ({ name, roles: BusinessRole.CustomsBroker, country: "US" })),
    { name: CARRIERS[0], roles: BusinessRole.Carrier, country: "KR" },
    { name: CARRIERS[1], roles: BusinessRole.Carrier, country: "DE" },
    { name: CARRIERS[2], roles: BusinessRole.Carrier, country: "TR" },
  );
  return specs;
}

/** Every business role a trusted issuer may vouch for in the season. */
export const TRADE_ROLES =
  BusinessRole.Mill |
  BusinessRole.Processor |
  BusinessRole.Exporter |
  BusinessRole.Certifier |
  BusinessRole.Importer |
  BusinessRole.CustomsBroker |
  BusinessRole.Carrier;
