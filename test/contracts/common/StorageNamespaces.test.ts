import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployTradeSystem } from "../../helpers/trade-system";

const CONTRACTS = path.join(__dirname, "..", "..", "..", "contracts");

/** ERC-7201: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~bytes32(uint256(0xff)). */
function erc7201Slot(namespaceId: string): string {
  const inner = BigInt(ethers.id(namespaceId)) - 1n;
  const outer = BigInt(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [inner])));
  return ethers.toBeHex(outer & ~0xffn, 32);
}

interface Namespace {
  file: string;
  id: string;
  constantName: string;
  constantValue: string;
  source: string;
}

function solidityFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return solidityFiles(full);
    return entry.name.endsWith(".sol") ? [full] : [];
  });
}

/** Every `@custom:storage-location erc7201:<id>` struct with the slot constant declared after it. */
function namespaces(): Namespace[] {
  const found: Namespace[] = [];
  for (const file of solidityFiles(CONTRACTS)) {
    const source = fs.readFileSync(file, "utf8");
    const pattern =
      /@custom:storage-location erc7201:([\w.]+)[\s\S]*?bytes32 private constant (\w+) = (0x[0-9a-fA-F]{64});/g;
    for (const m of source.matchAll(pattern)) {
      found.push({
        file: path.relative(CONTRACTS, file),
        id: m[1],
        constantName: m[2],
        constantValue: m[3].toLowerCase(),
        source,
      });
    }
  }
  return found;
}

describe("ERC-7201 storage namespaces", function () {
  const all = namespaces();

  it("finds the namespace of every upgradeable registry", function () {
    expect(all.map((n) => n.id)).to.include.members([
      "tradetrace.storage.ActorRegistry",
      "tradetrace.storage.DocumentRegistry",
      "tradetrace.storage.ShipmentRegistry",
      "tradetrace.storage.ActorRegistryV2",
    ]);
  });

  it("declares each slot constant as the ERC-7201 formula gives it from the namespace id", function () {
    for (const n of all) expect(n.constantValue, `${n.file}: ${n.id}`).to.equal(erc7201Slot(n.id));
  });

  it("reaches each registry's namespace through `_storage()` and `STORAGE_LOCATION`", function () {
    for (const n of all.filter((x) => !x.file.startsWith(`test${path.sep}`))) {
      expect(n.constantName, n.file).to.equal("STORAGE_LOCATION");
      expect(n.source, n.file).to.match(/function _storage\(\) private pure returns \(\w+ storage \$\)/);
      expect(n.source, n.file).to.match(/\$\.slot := STORAGE_LOCATION/);
    }
  });

  it("computes the formula as ERC-7201 does (the example namespace of the standard)", function () {
    expect(erc7201Slot("example.main")).to.equal("0x183a6125c38840424c4a85fa12bab2ab606c4b6d0e7cc73c0c06ba5300eab500");
  });

  describe("on the deployed proxies", function () {
    const address = (word: string) => ethers.getAddress(ethers.dataSlice(word, 12));

    it("keeps the actor registry's trusted roles in the first mapping of its namespace", async function () {
      const { actors, issuer } = await loadFixture(deployTradeSystem);
      const base = erc7201Slot("tradetrace.storage.ActorRegistry");
      const slot = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [issuer.address, base]),
      );
      const stored = await ethers.provider.getStorage(await actors.getAddress(), slot);
      expect(BigInt(stored)).to.equal(await actors.trustedRolesOf(issuer.address));
      expect(BigInt(stored)).to.not.equal(0n);
    });

    it("keeps each document registry's actor registry in the first slot of its namespace", async function () {
      const { actors, reports, certificates } = await loadFixture(deployTradeSystem);
      const base = erc7201Slot("tradetrace.storage.DocumentRegistry");
      for (const registry of [reports, certificates]) {
        const stored = await ethers.provider.getStorage(await registry.getAddress(), base);
        expect(address(stored)).to.equal(await actors.getAddress());
      }
    });

    it("keeps the shipment registry's actor registry in the first slot of its namespace", async function () {
      const { actors, shipments } = await loadFixture(deployTradeSystem);
      const base = erc7201Slot("tradetrace.storage.ShipmentRegistry");
      const stored = await ethers.provider.getStorage(await shipments.getAddress(), base);
      expect(address(stored)).to.equal(await actors.getAddress());
    });
  });
});
