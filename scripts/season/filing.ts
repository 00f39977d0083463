/**
 * How the season files a shipment: a ShipmentSpec (who ships what, from which lane, backed by which reports) becomes
 * a filing by the importer or its broker, the mill test report links (a refused link is recorded, not thrown) and a
 * certificate of origin from the lane's chamber, linked too.
 */
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Interface } from "ethers";
import { coo, recordIdOf, type MillTestReport } from "./documents";
import { code, id, shipmentIdOf, type Filing } from "./shipments";
import { BROKERS, CARRIERS, ENTRY_PORTS, IMPORTERS, type Lane } from "./cast";
import { DAY, log, type Stage, type Wallet } from "./stage";
import type { PlantedFraud, Rejection, RiskRule, SeasonShipment } from "./plan";

export interface LineSpec {
  hts: bigint;
  kg: bigint;
  origin: string;
  /** Report to allocate from (the whole declared weight); none for a missing MTR. */
  report?: MillTestReport;
}

export interface ShipmentSpec {
  key: string;
  description: string;
  lane: Lane;
  lines: LineSpec[];
  /** Index into the filings' importers (IMPORTERS unless said); the broker is BROKERS[importer % BROKERS.length]. */
  importer: number;
  byBroker: boolean;
  /** Index into CARRIERS. */
  carrier: number;
  /** Estimated arrival after the filing (12 days unless said). */
  etaIn?: bigint;
  exportCountry?: string;
  transshipment?: string[];
  /** Manufacturer address (the lane's mill unless said). */
  manufacturer?: string;
  /** Origin the certificate of origin names (the first line's unless said); null for no certificate. */
  cooOrigin?: string | null;
  cooChamber?: string;
  planted?: PlantedFraud;
  /** The rule it resembles without meeting it (a look-alike: it must stay unflagged). */
  lookAlike?: RiskRule;
}

export interface FiledShipment {
  spec: ShipmentSpec;
  id: string;
  filer: Wallet;
  /** Record id of its certificate of origin, if one was linked. */
  coo?: string;
}

/** The shipments filed so far, what they became on chain, and the links the chain refused. */
export class Filings {
  readonly filed: FiledShipment[] = [];
  readonly result: SeasonShipment[] = [];
  readonly rejections: Rejection[] = [];
  private n = 0;
  private nextCoo = 0;

  constructor(
    private readonly stage: Stage,
    private readonly options: { importers?: string[]; billOfLadingBase?: number } = {},
  ) {}

  get count(): number {
    return this.n;
  }

  get importerNames(): string[] {
    return this.options.importers ?? IMPORTERS;
  }

  get importers(): Wallet[] {
    return this.importerNames.map((name) => this.stage.wallet(name));
  }

  carrier(index: number): Wallet {
    return this.stage.wallet(CARRIERS[index]);
  }

  byKey(key: string): FiledShipment {
    const found = this.filed.find((f) => f.spec.key === key);
    if (!found) throw new Error(`no shipment ${key} was filed`);
    return found;
  }

  async file(spec: ShipmentSpec): Promise<FiledShipment> {
    const { stage } = this;
    const shipments = stage.registries.shipments;
    this.n++;
    const importer = this.importers[spec.importer];
    const filer = spec.byBroker ? stage.wallet(BROKERS[spec.importer % BROKERS.length]) : importer;
    const reference = id(`season-2026:${spec.key}`);
    const shipmentId = shipmentIdOf(importer.address, reference);
    const exporter = stage.wallet(spec.lane.exporter);
    const filing = await this.filingOf(spec, importer.address, exporter.address);
    await stage.send(shipments.connect(filer).fileShipment(reference, filing));
    for (const [lineIndex, l] of spec.lines.entries()) {
      if (l.report) await this.linkReport(spec.key, shipmentId, filer, importer.address, lineIndex, l);
    }
    let cooId: string | undefined;
    if (spec.cooOrigin !== null) {
      const origin = spec.cooOrigin ?? spec.lines[0].origin;
      const chamber = spec.cooChamber ?? spec.lane.chamber;
      cooId = await this.certificate(
        chamber,
        exporter.address,
        importer.address,
        origin,
        spec.lines.map((l) => l.hts),
      );
      await stage.send(shipments.connect(filer).linkCertificateOfOrigin(shipmentId, cooId));
    }
    const filed = { spec, id: shipmentId, filer, coo: cooId };
    this.filed.push(filed);
    this.result.push({
      key: spec.key,
      id: shipmentId.toLowerCase(),
      billOfLading: filing.billOfLading as string,
      description: spec.description,
      planted: spec.planted ?? null,
      ...(spec.lookAlike ? { lookAlike: spec.lookAlike } : {}),
    });
    return filed;
  }

  private async filingOf(spec: ShipmentSpec, importer: string, exporter: string): Promise<Filing> {
    const { n } = this;
    return {
      parties: {
        importer,
        exporter,
        manufacturer: spec.manufacturer ?? this.stage.wallet(spec.lane.mill).address,
        carrier: this.carrier(spec.carrier).address,
      },
      lines: spec.lines.map((l) => ({
        hts: l.hts,
        declaredKg: l.kg,
        declaredValueCents: l.kg * 95n,
        originCountry: code(l.origin),
      })),
      exportCountry: code(spec.exportCountry ?? spec.lane.country),
      transshipmentCountries: (spec.transshipment ?? []).map(code),
      portOfLading: code(spec.lane.port),
      portOfEntry: code(ENTRY_PORTS[n % ENTRY_PORTS.length]),
      estimatedArrival: BigInt(await time.latest()) + (spec.etaIn ?? 12n * DAY),
      billOfLading: `${spec.lane.port.slice(2)}${String((this.options.billOfLadingBase ?? 260000) + n * 37).padStart(8, "0")}`,
      entryNumber: "",
      workflowInstanceId: id(`workflow:${spec.key}`),
    };
  }

  /** Links `line`'s report for its whole weight, the holder approving the importer first; records a refusal. */
  private async linkReport(
    key: string,
    shipmentId: string,
    filer: Wallet,
    importer: string,
    lineIndex: number,
    line: LineSpec,
  ): Promise<void> {
    const { stage } = this;
    const report = line.report!;
    await stage.approveBuyer(report, importer);
    try {
      await stage.send(
        stage.registries.shipments
          .connect(filer)
          .linkMillTestReport(shipmentId, stage.idOf(report), lineIndex, line.kg),
      );
    } catch (e) {
      const rejection = {
        shipment: key,
        action: `linkMillTestReport(${report.certificateNumber}, line ${lineIndex}, ${line.kg} kg)`,
        ...decodeRevert(e, stage.interfaces),
      };
      this.rejections.push(rejection);
      log(`  rejected on chain: ${key} ${rejection.error}(${rejection.args.join(", ")})`);
    }
  }

  /** A certificate of origin issued by `chamberName` for the goods; returns its record id. */
  private async certificate(
    chamberName: string,
    exporter: string,
    importer: string,
    origin: string,
    hts: bigint[],
  ): Promise<string> {
    const c = coo(`${origin}-${++this.nextCoo}`, exporter, importer, {
      countryOfOrigin: code(origin),
      htsLines: hts,
      exportDate: BigInt(await time.latest()),
    });
    const chamber = this.stage.wallet(chamberName);
    await this.stage.send(this.stage.registries.certificatesOfOrigin.connect(chamber).issue(c));
    return recordIdOf(chamber.address, c.contentHash);
  }
}

/** The custom error (name and arguments) of a reverted transaction, decoded with the registries' ABIs. */
export function decodeRevert(error: unknown, interfaces: Interface[]): { error: string; args: string[] } {
  // Hardhat's node puts the revert data in `data`, sometimes one level down; ethers in `info.error.data`.
  const e = error as { data?: unknown; info?: { error?: { data?: unknown } }; message?: string };
  const hex = (v: unknown): string | undefined =>
    typeof v === "string" && v.startsWith("0x")
      ? v
      : v && typeof v === "object"
        ? hex((v as { data?: unknown }).data)
        : undefined;
  const data = hex(e.data) ?? hex(e.info?.error?.data);
  if (data) {
    for (const iface of interfaces) {
      const parsed = iface.parseError(data);
      if (parsed) return { error: parsed.name, args: parsed.args.map((a: unknown) => String(a)) };
    }
  }
  return { error: "unknown", args: [e.message ?? String(error)] };
}
