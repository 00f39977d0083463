/**
 * Hostile signatures against any `…BySig` entry point of a registry built on RegistryBase: a signature for another
 * domain (chain id, verifying contract), of a malformed length, malleated (high s), or "approved" by an ERC-1271
 * wallet that answers garbage. Each must revert with InvalidSignature(signer) and change nothing. The happy path,
 * replay, expiry, another key and tampered fields are covered next to each entry point.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { BaseContract, TypedDataDomain } from "ethers";

export interface SignedEntryPoint {
  /** Deploys (loadFixture) and returns what the cases need. */
  setup(): Promise<SignedSetup>;
}

export interface SignedSetup {
  registry: BaseContract;
  /** An EOA entitled to sign the payload. */
  signer: HardhatEthersSigner;
  /** Signs the payload for `as` (its nonce 0) with `key`, in the registry's domain changed by `domain`. */
  sign(key: HardhatEthersSigner, as: string, domain?: Partial<TypedDataDomain>): Promise<string>;
  /** Sends the delegated call for `as` with `signature` (relayed by another account). */
  submit(as: string, signature: string): Promise<unknown>;
  /** Makes `wallet` (a contract) entitled to sign, as `signer` is. */
  entitle(wallet: string): Promise<void>;
  /** What a successful call would change (record, nonce), for the before/after comparison. */
  state(as: string): Promise<unknown>;
}

const N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

/** The same signature with s replaced by n - s and v flipped: valid for ecrecover, refused by OpenZeppelin. */
export function malleate(signature: string): string {
  const sig = ethers.Signature.from(signature);
  const s = N - BigInt(sig.s);
  const v = sig.v === 27 ? 28 : 27;
  return ethers.concat([sig.r, ethers.toBeHex(s, 32), ethers.toBeHex(v, 1)]);
}

export type HostileGroup = "domain" | "lengths" | "erc1271";

export function shouldRefuseHostileSignatures(
  entry: SignedEntryPoint,
  groups: HostileGroup[] = ["domain", "lengths", "erc1271"],
): void {
  async function refused(s: SignedSetup, as: string, signature: string): Promise<void> {
    const before = await s.state(as);
    await expect(s.submit(as, signature)).to.be.revertedWithCustomError(s.registry, "InvalidSignature").withArgs(as);
    expect(await s.state(as)).to.deep.equal(before);
  }

  describe("hostile signatures", function () {
    if (groups.includes("domain")) {
      it("refuses a signature for another chain id or another verifying contract, changing nothing", async function () {
        const s = await setup(entry);
        await refused(s, s.signer.address, await s.sign(s.signer, s.signer.address, { chainId: 1n }));
        const elsewhere = ethers.Wallet.createRandom().address;
        await refused(s, s.signer.address, await s.sign(s.signer, s.signer.address, { verifyingContract: elsewhere }));
        await refused(s, s.signer.address, await s.sign(s.signer, s.signer.address, { version: "2" }));
        // The genuine signature still works afterwards: the refusals consumed no nonce.
        const before = await s.state(s.signer.address);
        await s.submit(s.signer.address, await s.sign(s.signer, s.signer.address));
        expect(await s.state(s.signer.address)).to.not.deep.equal(before);
      });
    }

    if (groups.includes("lengths")) {
      it("refuses signatures of malformed lengths, compact (EIP-2098) and malleated ones", async function () {
        const s = await setup(entry);
        const genuine = await s.sign(s.signer, s.signer.address);
        const compact = ethers.Signature.from(genuine).compactSerialized;
        for (const bad of [
          "0x",
          "0x12",
          compact,
          ethers.concat([genuine, "0x00"]),
          ethers.hexlify(new Uint8Array(65)),
          ethers.hexlify(new Uint8Array(1024).fill(0xff)),
          malleate(genuine),
        ]) {
          await refused(s, s.signer.address, bad);
        }
      });
    }

    if (groups.includes("erc1271")) {
      it("refuses a contract wallet whose isValidSignature answers garbage, reverts or does not exist", async function () {
        const s = await setup(entry);
        const signature = await s.sign(s.signer, s.signer.address);
        const wallets: string[] = [];
        // Wrong magic, magic not in the first 4 bytes, a revert, no return data, a 3-byte answer.
        for (let mode = 0; mode <= 4; mode++) {
          wallets.push(await (await ethers.deployContract("HostileERC1271Wallet", [mode])).getAddress());
        }
        // A contract with no isValidSignature at all.
        wallets.push(await (await ethers.deployContract("ValueEmitter")).getAddress());
        for (const wallet of wallets) {
          await s.entitle(wallet);
          await refused(s, wallet, await s.sign(s.signer, wallet));
          await refused(s, wallet, signature);
        }
      });
    }
  });
}

async function setup(entry: SignedEntryPoint): Promise<SignedSetup> {
  return entry.setup();
}
