import { expect } from "chai";
import {
  AbiCoder,
  Interface,
  JsonRpcProvider,
  Network,
  Wallet,
  ZeroHash,
  id,
  type ContractRunner,
  type ParamType,
} from "ethers";
import { describeChainError } from "../../../scripts/lib/chain-errors";
import { BUSINESS_ROLES } from "../../../scripts/lib/vocabulary";
import {
  ActorRegistry__factory,
  CertificateOfOriginRegistry__factory,
  MillTestReportRegistry__factory,
  ShipmentRegistry__factory,
} from "../../../typechain-types";
import { deployCliChain, type CliChain } from "../../helpers/cli";
import { freePort, startHardhatNode, type HardhatNode } from "../../helpers/hardhat-node";
import { ACTOR_CREDENTIAL_TYPES, ACTOR_REGISTRY_NAME, ACTOR_REGISTRY_VERSION } from "../../helpers/actors";

const REGISTRIES = {
  ActorRegistry: ActorRegistry__factory.abi,
  CertificateOfOriginRegistry: CertificateOfOriginRegistry__factory.abi,
  MillTestReportRegistry: MillTestReportRegistry__factory.abi,
  ShipmentRegistry: ShipmentRegistry__factory.abi,
};

/** A value of `param`'s type, for encoding an error without caring what it says. */
function sample(param: ParamType): unknown {
  if (param.isArray()) return [sample(param.arrayChildren)];
  if (param.isTuple()) return param.components.map(sample);
  if (param.type === "address") return "0x00000000000000000000000000000000000000aa";
  if (param.type === "string") return "x";
  if (param.type === "bool") return true;
  if (param.type.startsWith("bytes")) return `0x${"ab".repeat(Number(param.type.slice(5)) || 1)}`;
  return 3n;
}

/** What ethers throws for a reverted eth_estimateGas / eth_call over JSON-RPC: CALL_EXCEPTION with the data. */
function callException(data: string): Error {
  return Object.assign(new Error("execution reverted (unknown custom error)"), {
    code: "CALL_EXCEPTION",
    data,
    shortMessage: "execution reverted (unknown custom error)",
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("scripts/lib/chain-errors", function () {
  describe("decoding revert data", function () {
    it("names every custom error of the four registries with its arguments", function () {
      let count = 0;
      for (const [registry, abi] of Object.entries(REGISTRIES)) {
        const iface = new Interface(abi);
        iface.forEachError((fragment) => {
          const values = fragment.inputs.map(sample);
          const data = iface.encodeErrorResult(fragment, values);
          const line = describeChainError(callException(data));
          expect(line, `${registry}.${fragment.name}`).to.match(new RegExp(`^${fragment.name}\\(`));
          expect(line).to.not.include("\n");
          count++;
        });
      }
      expect(count).to.be.greaterThan(60);
    });

    it("shows role bitmasks as role names and what to do", function () {
      const docs = new Interface(MillTestReportRegistry__factory.abi);
      const account = Wallet.createRandom().address;
      const issuerNotActive = docs.encodeErrorResult("ActorNotActive", [account, BUSINESS_ROLES.MILL]);
      expect(describeChainError(callException(issuerNotActive))).to.equal(
        `ActorNotActive(${account}, MILL): ${account} is not an active actor for MILL: see npm run admin -- show ${account}`,
      );
      const coo = new Interface(CertificateOfOriginRegistry__factory.abi);
      const either = coo.encodeErrorResult("ActorNotActive", [
        account,
        BUSINESS_ROLES.CERTIFIER | BUSINESS_ROLES.EXPORTER,
      ]);
      expect(describeChainError(callException(either))).to.match(
        /^ActorNotActive\(0x[0-9a-fA-F]{40}, EXPORTER\|CERTIFIER\)/,
      );
      const shipments = new Interface(ShipmentRegistry__factory.abi);
      const notActive = shipments.encodeErrorResult("ActorNotActive", [account, BUSINESS_ROLES.CUSTOMS_BROKER]);
      expect(describeChainError(callException(notActive))).to.match(
        /^ActorNotActive\(0x[0-9a-fA-F]{40}, CUSTOMS_BROKER\)/,
      );
      const broker = shipments.encodeErrorResult("BrokerNotAuthorized", [account, account]);
      expect(describeChainError(callException(broker))).to.include(`npm run admin -- authorize-broker ${account}`);
    });

    it("finds the data nested as a Hardhat node answers it, and names the missing AccessControl role", function () {
      const actors = new Interface(ActorRegistry__factory.abi);
      const account = Wallet.createRandom().address;
      const data = actors.encodeErrorResult("AccessControlUnauthorizedAccount", [account, id("CBP_ROLE")]);
      const nested = {
        code: "UNKNOWN_ERROR",
        error: { code: -32603, message: "reverted", data: { message: "x", data } },
      };
      expect(describeChainError(nested)).to.equal(
        `AccessControlUnauthorizedAccount(${account}, CBP_ROLE): ${account} lacks CBP_ROLE on this registry: ` +
          `an admin grants it with npm run admin -- grant-role CBP_ROLE ${account}`,
      );
      const admin = actors.encodeErrorResult("AccessControlUnauthorizedAccount", [account, ZeroHash]);
      expect(describeChainError(callException(admin))).to.include("lacks DEFAULT_ADMIN_ROLE");
    });

    it("reads Error(string) and Panic, and falls back to the first line of an unknown error", function () {
      const reason = `0x08c379a0${AbiCoder.defaultAbiCoder().encode(["string"], ["no way"]).slice(2)}`;
      expect(describeChainError(callException(reason))).to.equal("reverted: no way");
      const panic = `0x4e487b71${AbiCoder.defaultAbiCoder().encode(["uint256"], [0x11]).slice(2)}`;
      expect(describeChainError(callException(panic))).to.equal("the registry panicked (code 17)");
      expect(describeChainError(new Error("first line\nsecond line"))).to.equal("first line");
      expect(describeChainError("plain")).to.equal("plain");
    });
  });

  describe("against a real hardhat node @no-coverage", function () {
    this.timeout(180_000);
    let node: HardhatNode;
    let provider: JsonRpcProvider;
    let chain: CliChain;

    before(async function () {
      node = await startHardhatNode(await freePort());
      provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: Network.from(31337) });
      chain = await deployCliChain(await provider.getSigner(0), provider);
    });

    after(async function () {
      provider?.destroy();
      await node?.stop();
    });

    it("says an empty account has no gas and points to the gasless --out + relay path (plain transfer)", async function () {
      const empty = Wallet.createRandom().connect(provider);
      const error = await rejection(empty.sendTransaction({ to: empty.address, value: 1n }));
      // What ethers makes of Hardhat's answer, and what the tools used to print.
      expect((error as { shortMessage?: string }).shortMessage).to.equal("could not coalesce error");
      const line = describeChainError(error);
      expect(line).to.match(new RegExp(`^account ${empty.address} has no ether to pay for gas`));
      expect(line).to.include("--out").and.include("relay");
    });

    it("says so for a registry call from an empty account too (a credential submitted without gas)", async function () {
      const empty = Wallet.createRandom().connect(provider);
      const { chainId } = await provider.getNetwork();
      const domain = {
        name: ACTOR_REGISTRY_NAME,
        version: ACTOR_REGISTRY_VERSION,
        chainId,
        verifyingContract: await chain.actors.getAddress(),
      };
      const now = BigInt((await provider.getBlock("latest"))!.timestamp);
      const credential = {
        subject: empty.address,
        did: "did:web:empty.example",
        roles: BUSINESS_ROLES.IMPORTER,
        country: "0x5553",
        legalNameHash: id("Empty Inc"),
        identifiersHash: ZeroHash,
        validFrom: now,
        validUntil: now + 86_400n,
        credentialId: id(`empty ${empty.address}`),
      };
      const signature = await chain.cbp.signTypedData(domain, ACTOR_CREDENTIAL_TYPES, credential);
      const actors = chain.actors.connect(empty as ContractRunner);
      const error = await rejection(actors.onboard(credential, await chain.cbp.getAddress(), signature));
      expect(describeChainError(error)).to.match(new RegExp(`^account ${empty.address} has no ether to pay for gas`));
      expect(await chain.actors.credentialStatus(credential.credentialId)).to.equal(0n);
    });

    it("decodes a real revert: a caller without CBP_ROLE trusting an issuer", async function () {
      const outsider = chain.relayer;
      const error = await rejection(
        chain.actors.connect(outsider).setTrustedIssuer(outsider.address, BUSINESS_ROLES.MILL),
      );
      expect(describeChainError(error)).to.equal(
        `AccessControlUnauthorizedAccount(${outsider.address}, CBP_ROLE): ${outsider.address} lacks ` +
          `CBP_ROLE on this registry: an admin grants it with npm run admin -- grant-role CBP_ROLE ` +
          outsider.address,
      );
    });

    it("names the URL when no node answers (a dead port)", async function () {
      const url = `http://127.0.0.1:${await freePort()}`;
      const dead = new JsonRpcProvider(url, undefined, { staticNetwork: Network.from(31337) });
      try {
        const error = await rejection(dead.getBlockNumber());
        expect(describeChainError(error, { rpcUrl: url })).to.equal(
          `no JSON-RPC node answers at ${url}: start one (npx hardhat node --hostname 127.0.0.1) or give --rpc URL ` +
            "(default: LOCALHOST_RPC_URL, else http://127.0.0.1:8545)",
        );
      } finally {
        dead.destroy();
      }
    });
  });
});
