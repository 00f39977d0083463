/**
 * RegistryBase._requireValidSignature under hostile signatures, at one delegated entry point of each registry
 * (the shared spec in SignedPayload.behavior.ts). ActorRegistry's own tests already cover other domains and
 * malformed lengths for `onboard`, so it gets only the ERC-1271 cases.
 */
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, TypedDataDomain } from "ethers";
import {
  ACTOR_CREDENTIAL_TYPES,
  ALL_ROLES,
  BusinessRole,
  actorRegistryDomain,
  deployActorRegistryFixture,
  makeCredential,
} from "../../helpers/actors";
import {
  COO_DOMAIN,
  COO_TYPES,
  MTR_DOMAIN,
  MTR_TYPES,
  coo,
  deployDocuments,
  issueTypes,
  mtr,
  recordIdOf,
  type DocumentTypes,
} from "../../helpers/documents";
import { Roles as DocRoles } from "../../helpers/roles";
import {
  FILE_SHIPMENT_TYPES,
  Roles,
  deployShipmentRegistry,
  domainOf,
  id,
  sampleFiling,
  shipmentIdOf,
} from "../../helpers/shipments";
import { shouldRefuseHostileSignatures } from "./SignedPayload.behavior";

const plain = (x: unknown): unknown =>
  JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? String(v) : v)));

async function documentDomain(registry: BaseContract, name: string): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return { name, version: "1", chainId, verifyingContract: await registry.getAddress() };
}

function documentEntry(which: "mtr" | "coo") {
  return {
    async setup() {
      const f = await loadFixture(deployDocuments);
      const registry = which === "mtr" ? f.mtrRegistry : f.cooRegistry;
      const signer = which === "mtr" ? f.mill : f.certifier;
      const domainName = which === "mtr" ? MTR_DOMAIN : COO_DOMAIN;
      const types: DocumentTypes = which === "mtr" ? MTR_TYPES : COO_TYPES;
      const payload = which === "mtr" ? mtr("H") : coo("H", f.exporter.address, f.importer.address);
      const deadline = BigInt(await time.latest()) + 86_400n;
      return {
        registry: registry as BaseContract,
        signer,
        sign: async (key: typeof signer, _as: string, domain: Partial<TypedDataDomain> = {}) =>
          key.signTypedData({ ...(await documentDomain(registry, domainName)), ...domain }, issueTypes(types), {
            [types.single]: payload,
            nonce: 0n,
            deadline,
          }),
        submit: (as: string, signature: string) =>
          (registry.connect(f.relayer) as BaseContract).getFunction("issueBySig")(payload, as, deadline, signature),
        entitle: async (wallet: string) => {
          await f.actors.setActive(wallet, which === "mtr" ? DocRoles.MILL : DocRoles.CERTIFIER);
        },
        // The record `as` would anchor: ids bind the content hash to the issuer (A5).
        state: async (as: string) =>
          plain([await registry.recordOf(recordIdOf(as, payload.contentHash)), await registry.nonces(as)]),
      };
    },
  };
}

describe("RegistryBase signatures under attack", function () {
  describe("MillTestReportRegistry.issueBySig", function () {
    shouldRefuseHostileSignatures(documentEntry("mtr"));
  });

  describe("CertificateOfOriginRegistry.issueBySig", function () {
    shouldRefuseHostileSignatures(documentEntry("coo"));
  });

  describe("ShipmentRegistry.fileShipmentBySig", function () {
    shouldRefuseHostileSignatures({
      async setup() {
        const { registry, actors, importer, broker, relayer, parties } = await loadFixture(deployShipmentRegistry);
        const filingReference = id("hostile");
        const shipmentId = shipmentIdOf(importer.address, filingReference);
        const filing = sampleFiling(parties);
        const deadline = BigInt(await time.latest()) + 3600n;
        return {
          registry: registry as BaseContract,
          signer: broker,
          sign: async (key: typeof broker, as: string, domain: Partial<TypedDataDomain> = {}) =>
            key.signTypedData({ ...(await domainOf(registry)), ...domain }, FILE_SHIPMENT_TYPES, {
              filingReference,
              filing,
              filer: as,
              nonce: 0n,
              deadline,
            }),
          submit: (as: string, signature: string) =>
            registry.connect(relayer).fileShipmentBySig(filingReference, filing, as, deadline, signature),
          entitle: async (wallet: string) => {
            await actors.setActive(wallet, Roles.CUSTOMS_BROKER);
            await registry.connect(importer).setBrokerAuthorization(wallet, true);
          },
          state: async (as: string) => plain([await registry.shipmentOf(shipmentId), await registry.nonces(as)]),
        };
      },
    });
  });

  describe("ActorRegistry.onboard", function () {
    shouldRefuseHostileSignatures(
      {
        async setup() {
          const { registry, cbp, issuer, laboratory, relayer } = await loadFixture(deployActorRegistryFixture);
          const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
          return {
            registry: registry as BaseContract,
            signer: issuer,
            sign: async (key: typeof issuer, _as: string, domain: Partial<TypedDataDomain> = {}) =>
              key.signTypedData(await actorRegistryDomain(registry, domain), ACTOR_CREDENTIAL_TYPES, credential),
            submit: (as: string, signature: string) => registry.connect(relayer).onboard(credential, as, signature),
            entitle: async (wallet: string) => {
              await registry.connect(cbp).setTrustedIssuer(wallet, ALL_ROLES);
            },
            state: async () => plain(await registry.actorOf(laboratory.address)),
          };
        },
      },
      ["erc1271"],
    );
  });
});
