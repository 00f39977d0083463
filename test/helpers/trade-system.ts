import { ethers, upgrades } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { CertificateOfOriginRegistry, MillTestReportRegistry, ShipmentRegistry } from "../../typechain-types";
import { ALL_ROLES, BusinessRole, country, deployActorRegistry, makeCredential, onboardActor } from "./actors";
import { coo, mtr, type CertificateOfOrigin, type MillTestReport } from "./documents";
import { sampleFiling, shipmentIdOf, id, type Filing } from "./shipments";

/**
 * The four real registries wired as the deploy script wires them (ActorRegistry with one trusted issuer, both
 * document registries, the ShipmentRegistry holding ALLOCATOR_ROLE on the report registry), with one onboarded
 * actor per trade role and a second importer and mill. For tests that need real actor standing (suspension,
 * revocation, expiry) or real document holders. Use with `loadFixture`.
 */
export async function deployTradeSystem() {
  const [cbp, issuer, mill, mill2, processor, importer, importer2, broker, exporter, carrier, certifier, relayer] =
    await ethers.getSigners();
  const actors = await deployActorRegistry(cbp);
  await actors.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES);
  const credentials = new Map<string, string>();
  const onboard = async (who: HardhatEthersSigner, role: BusinessRole): Promise<void> => {
    const credential = await makeCredential(who.address, role, { country: country("US") });
    await onboardActor(actors, issuer, credential);
    credentials.set(who.address, credential.credentialId);
  };
  await onboard(mill, BusinessRole.Mill);
  await onboard(mill2, BusinessRole.Mill);
  await onboard(processor, BusinessRole.Processor);
  await onboard(importer, BusinessRole.Importer);
  await onboard(importer2, BusinessRole.Importer);
  await onboard(broker, BusinessRole.CustomsBroker);
  await onboard(exporter, BusinessRole.Exporter);
  await onboard(carrier, BusinessRole.Carrier);
  await onboard(certifier, BusinessRole.Certifier);

  const proxy = async <T>(name: string, args: unknown[]): Promise<T> =>
    (await upgrades.deployProxy(await ethers.getContractFactory(name), args, { kind: "uups" })) as unknown as T;
  const actorsAddress = await actors.getAddress();
  const reports = await proxy<MillTestReportRegistry>("MillTestReportRegistry", [cbp.address, actorsAddress]);
  const certificates = await proxy<CertificateOfOriginRegistry>("CertificateOfOriginRegistry", [
    cbp.address,
    actorsAddress,
  ]);
  const shipments = await proxy<ShipmentRegistry>("ShipmentRegistry", [
    cbp.address,
    actorsAddress,
    await certificates.getAddress(),
    await reports.getAddress(),
  ]);
  await reports.connect(cbp).grantRole(await reports.ALLOCATOR_ROLE(), await shipments.getAddress());
  await shipments.connect(cbp).grantRole(await shipments.CBP_ROLE(), cbp.address);
  await shipments.connect(importer).setBrokerAuthorization(broker.address, true);

  /** Issues a report by `by` (a mill) and returns its record id. */
  const issueReport = async (by: HardhatEthersSigner, label: string, totalKg: bigint): Promise<string> => {
    const report: MillTestReport = mtr(label, { totalKg, countryOfMeltAndPour: country("DE") });
    const recordId = await reports.connect(by).issue.staticCall(report);
    await reports.connect(by).issue(report);
    return recordId;
  };
  /** Issues a certificate of origin by the certifier naming `exp` and `imp`, and returns its record id. */
  const issueCertificate = async (label: string, exp: string, imp: string): Promise<string> => {
    const certificate: CertificateOfOrigin = coo(label, exp, imp);
    const recordId = await certificates.connect(certifier).issue.staticCall(certificate);
    await certificates.connect(certifier).issue(certificate);
    return recordId;
  };
  /** Files `filing` (the sample filing for `imp` by default) by `by` and returns the shipment id. */
  const file = async (
    by: HardhatEthersSigner,
    imp: HardhatEthersSigner,
    reference: string,
    filing: Filing = sampleFiling({
      importer: imp.address,
      exporter: exporter.address,
      manufacturer: mill.address,
      carrier: carrier.address,
    }),
  ): Promise<string> => {
    await shipments.connect(by).fileShipment(id(reference), filing);
    return shipmentIdOf(imp.address, id(reference));
  };

  return {
    actors,
    reports,
    certificates,
    shipments,
    credentials,
    issueReport,
    issueCertificate,
    file,
    cbp,
    issuer,
    mill,
    mill2,
    processor,
    importer,
    importer2,
    broker,
    exporter,
    carrier,
    certifier,
    relayer,
  };
}
