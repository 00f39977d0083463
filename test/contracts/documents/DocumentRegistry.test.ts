import { coo, COO_DOMAIN, COO_TYPES, mtr, MTR_DOMAIN, MTR_TYPES } from "../../helpers/documents";
import { Roles } from "../../helpers/roles";
import { shouldBehaveLikeDocumentRegistry } from "./DocumentRegistry.behavior";

describe("DocumentRegistry (shared behaviour)", function () {
  describe("MillTestReportRegistry", function () {
    shouldBehaveLikeDocumentRegistry({
      contract: "MillTestReportRegistry",
      domain: MTR_DOMAIN,
      types: MTR_TYPES,
      issuedEvent: "MillTestReportIssued",
      issuerRoles: Roles.MILL,
      standingRoles: Roles.MILL,
      totalKg: 289_600n,
      registryOf: (f) => f.mtrRegistry,
      issuersOf: (f) => [f.mill, f.mill2],
      payload: (_f, label, overrides) =>
        ({ ...mtr(label), ...overrides }) as ReturnType<typeof mtr> & {
          contentHash: string;
          certificateNumber: string;
          expiresAt: bigint;
        },
    });
  });

  describe("CertificateOfOriginRegistry", function () {
    shouldBehaveLikeDocumentRegistry({
      contract: "CertificateOfOriginRegistry",
      domain: COO_DOMAIN,
      types: COO_TYPES,
      issuedEvent: "CertificateOfOriginIssued",
      issuerRoles: Roles.CERTIFIER | Roles.EXPORTER,
      // The first issuer is a chamber: it issued as CERTIFIER and must stay one.
      standingRoles: Roles.CERTIFIER,
      totalKg: 0n,
      registryOf: (f) => f.cooRegistry,
      // A chamber of commerce, and a self-certifying exporter (naming itself as exporter in every payload).
      issuersOf: (f) => [f.certifier, f.exporter],
      payload: (f, label, overrides) =>
        ({ ...coo(label, f.exporter.address, f.importer.address), ...overrides }) as ReturnType<typeof coo> & {
          contentHash: string;
          certificateNumber: string;
          expiresAt: bigint;
        },
    });
  });
});
