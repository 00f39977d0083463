import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  actorRegistryDomain,
  BusinessRole,
  deployActorRegistryFixture,
  makeCredential,
  onboardActor,
} from "../../helpers/actors";
import { newP256Key, signJws, millTestReportPayload, type P256Key } from "../../helpers/jws";
import { parseCompactJws, keyIdHash } from "../../../interop/anchor/signed-credential";

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const REASON = ethers.encodeBytes32String("TEST");

const REGISTER_TYPES = {
  RegisterAssertionKey: [
    { name: "keyId", type: "string" },
    { name: "x", type: "bytes32" },
    { name: "y", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
const RETIRE_TYPES = {
  RetireAssertionKey: [
    { name: "keyIdHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

describe("ActorRegistry assertion keys (VC-JOSE)", function () {
  async function fixture() {
    const base = await deployActorRegistryFixture();
    const mill = base.actors.mill.signer;
    const millDid = base.actors.mill.credential.did;
    const key = newP256Key();
    const keyId = `${millDid}#key-1`;
    await base.registry.connect(mill).registerAssertionKey(keyId, key.x, key.y);
    return { ...base, mill, millDid, key, keyId };
  }

  /** verifyJws's arguments for a compact JWS (split by hand: some payloads below are not JSON on purpose). */
  function jwsArgs(jws: string, keyId: string) {
    const [header, payload, signature] = jws.split(".");
    const sig = Buffer.from(signature, "base64url");
    return [
      keyIdHash(keyId),
      ethers.toUtf8Bytes(header),
      new Uint8Array(Buffer.from(payload, "base64url")),
      ethers.hexlify(sig.subarray(0, 32)),
      ethers.hexlify(sig.subarray(32)),
    ] as const;
  }

  describe("registration", function () {
    it("stores the key under its id hash and announces it", async function () {
      const { registry, actors } = await loadFixture(fixture);
      const signer = actors.certifier.signer;
      const key = newP256Key();
      const keyId = `${actors.certifier.credential.did}#k2`;
      const tx = registry.connect(signer).registerAssertionKey(keyId, key.x, key.y);
      await expect(tx)
        .to.emit(registry, "AssertionKeyRegistered")
        .withArgs(signer.address, keyIdHash(keyId), keyId, key.x, key.y, signer.address);
      console.log(`      gas: registerAssertionKey ${(await (await tx).wait())!.gasUsed}`);
      const stored = await registry.assertionKeyOf(keyIdHash(keyId));
      expect(stored.actor).to.equal(signer.address);
      expect([stored.x, stored.y]).to.deep.equal([key.x, key.y]);
      expect(stored.didHash).to.equal(ethers.id(actors.certifier.credential.did));
      expect(stored.retiredAt).to.equal(0n);
      expect(stored.registeredAt).to.equal(BigInt(await time.latest()));
    });

    it("onboarding records the DID hash, and a new DID replaces it", async function () {
      const { registry, issuer, mill, millDid } = await loadFixture(fixture);
      expect(await registry.didHashOf(mill.address)).to.equal(ethers.id(millDid));
      const renewed = await makeCredential(mill.address, BusinessRole.Mill, { did: "did:web:new.example" });
      await onboardActor(registry, issuer, renewed);
      expect(await registry.didHashOf(mill.address)).to.equal(ethers.id("did:web:new.example"));
    });

    it("takes an EIP-712 registration relayed by anyone, once", async function () {
      const { registry, actors, relayer } = await loadFixture(fixture);
      const exporter = actors.exporter.signer;
      const key = newP256Key();
      const keyId = `${actors.exporter.credential.did}#relayed`;
      const deadline = BigInt(await time.latest()) + 3600n;
      const value = { keyId, x: key.x, y: key.y, nonce: await registry.nonces(exporter.address), deadline };
      const signature = await exporter.signTypedData(await actorRegistryDomain(registry), REGISTER_TYPES, value);
      await expect(
        registry.connect(relayer).registerAssertionKeyBySig(keyId, key.x, key.y, exporter.address, deadline, signature),
      )
        .to.emit(registry, "AssertionKeyRegistered")
        .withArgs(exporter.address, keyIdHash(keyId), keyId, key.x, key.y, relayer.address);
      await expect(
        registry.connect(relayer).registerAssertionKeyBySig(keyId, key.x, key.y, exporter.address, deadline, signature),
      ).to.be.revertedWithCustomError(registry, "InvalidSignature");
    });

    it("refuses a key id outside the actor's DID, without fragment, or with an empty one", async function () {
      const { registry, mill, millDid, key } = await loadFixture(fixture);
      for (const keyId of ["did:web:other.example#key-1", millDid, `${millDid}#`, `${millDid}x#key`, "#key"]) {
        await expect(registry.connect(mill).registerAssertionKey(keyId, key.x, key.y))
          .to.be.revertedWithCustomError(registry, "KeyIdNotUnderActorDid")
          .withArgs(mill.address, keyId);
      }
    });

    it("refuses a point off the curve, a reused key id, an unknown or suspended actor", async function () {
      const { registry, cbp, mill, millDid, key, keyId, stranger } = await loadFixture(fixture);
      const offCurve = ethers.toBeHex(BigInt(key.y) ^ 1n, 32);
      await expect(registry.connect(mill).registerAssertionKey(`${millDid}#bad`, key.x, offCurve))
        .to.be.revertedWithCustomError(registry, "InvalidAssertionKey")
        .withArgs(key.x, offCurve);
      const other = newP256Key();
      await expect(registry.connect(mill).registerAssertionKey(keyId, other.x, other.y))
        .to.be.revertedWithCustomError(registry, "AssertionKeyExists")
        .withArgs(keyIdHash(keyId));
      await expect(registry.connect(stranger).registerAssertionKey(`${millDid}#s`, other.x, other.y))
        .to.be.revertedWithCustomError(registry, "UnknownActor")
        .withArgs(stranger.address);
      await registry.connect(cbp).suspend(mill.address, REASON);
      await expect(registry.connect(mill).registerAssertionKey(`${millDid}#k9`, other.x, other.y))
        .to.be.revertedWithCustomError(registry, "ActorIsSuspended")
        .withArgs(mill.address);
    });
  });

  describe("retirement", function () {
    it("the actor retires its key; it stays readable; twice is refused", async function () {
      const { registry, mill, keyId } = await loadFixture(fixture);
      await expect(registry.connect(mill).retireAssertionKey(keyIdHash(keyId)))
        .to.emit(registry, "AssertionKeyRetired")
        .withArgs(mill.address, keyIdHash(keyId), mill.address);
      const retiredAt = BigInt(await time.latest());
      const stored = await registry.assertionKeyOf(keyIdHash(keyId));
      expect(stored.retiredAt).to.equal(retiredAt);
      expect(stored.actor).to.equal(mill.address);
      await expect(registry.connect(mill).retireAssertionKey(keyIdHash(keyId)))
        .to.be.revertedWithCustomError(registry, "AssertionKeyNotCurrent")
        .withArgs(keyIdHash(keyId), retiredAt);
    });

    it("CBP may retire any key, a stranger none, an unknown key is reported", async function () {
      const { registry, cbp, mill, keyId, stranger } = await loadFixture(fixture);
      await expect(registry.connect(stranger).retireAssertionKey(keyIdHash(keyId)))
        .to.be.revertedWithCustomError(registry, "NotKeyHolder")
        .withArgs(keyIdHash(keyId), stranger.address);
      await expect(registry.connect(cbp).retireAssertionKey(ethers.id("nope")))
        .to.be.revertedWithCustomError(registry, "UnknownAssertionKey")
        .withArgs(ethers.id("nope"));
      await expect(registry.connect(cbp).retireAssertionKey(keyIdHash(keyId)))
        .to.emit(registry, "AssertionKeyRetired")
        .withArgs(mill.address, keyIdHash(keyId), cbp.address);
    });

    it("takes an EIP-712 retirement relayed by anyone", async function () {
      const { registry, mill, keyId, relayer } = await loadFixture(fixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      const value = { keyIdHash: keyIdHash(keyId), nonce: await registry.nonces(mill.address), deadline };
      const signature = await mill.signTypedData(await actorRegistryDomain(registry), RETIRE_TYPES, value);
      await expect(
        registry.connect(relayer).retireAssertionKeyBySig(keyIdHash(keyId), mill.address, deadline, signature),
      )
        .to.emit(registry, "AssertionKeyRetired")
        .withArgs(mill.address, keyIdHash(keyId), mill.address);
    });
  });

  describe("verifyJws", function () {
    it("returns the key's actor and the payload's SHA-256 for a valid JWS", async function () {
      const { registry, mill, millDid, key, keyId } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(millDid), key, keyId);
      const [actor, payloadHash] = await registry.verifyJws(...jwsArgs(jws, keyId));
      expect(actor).to.equal(mill.address);
      expect(payloadHash).to.equal(ethers.sha256(parseCompactJws(jws).payloadBytes));
    });

    it("accepts both s and n - s (JOSE signers do not normalise s)", async function () {
      const { registry, mill, millDid, key, keyId } = await loadFixture(fixture);
      const [kh, header, payload, r, s] = jwsArgs(signJws(millTestReportPayload(millDid), key, keyId), keyId);
      const flipped = ethers.toBeHex(P256_N - BigInt(s), 32);
      for (const sig of [s, flipped]) {
        expect((await registry.verifyJws(kh, header, payload, r, sig))[0]).to.equal(mill.address);
      }
    });

    it("refuses a tampered payload or header, and another key's signature", async function () {
      const { registry, millDid, key, keyId } = await loadFixture(fixture);
      const [kh, header, payload, r, s] = jwsArgs(signJws(millTestReportPayload(millDid), key, keyId), keyId);
      const tampered = ethers.toUtf8Bytes(ethers.toUtf8String(payload).replace("289600", "389600"));
      await expect(registry.verifyJws(kh, header, tampered, r, s))
        .to.be.revertedWithCustomError(registry, "InvalidAssertionSignature")
        .withArgs(kh);
      const otherHeader = ethers.toUtf8Bytes(Buffer.from('{"alg":"ES256"}').toString("base64url"));
      await expect(registry.verifyJws(kh, otherHeader, payload, r, s)).to.be.revertedWithCustomError(
        registry,
        "InvalidAssertionSignature",
      );
      const wrongKey: P256Key = newP256Key();
      const forged = jwsArgs(signJws(millTestReportPayload(millDid), wrongKey, keyId), keyId);
      await expect(registry.verifyJws(...forged)).to.be.revertedWithCustomError(registry, "InvalidAssertionSignature");
    });

    it("refuses an unknown key, a retired key, a key of the actor's former DID", async function () {
      const { registry, issuer, mill, millDid, key, keyId } = await loadFixture(fixture);
      const args = jwsArgs(signJws(millTestReportPayload(millDid), key, keyId), keyId);
      await expect(registry.verifyJws(ethers.id("unknown"), args[1], args[2], args[3], args[4]))
        .to.be.revertedWithCustomError(registry, "UnknownAssertionKey")
        .withArgs(ethers.id("unknown"));
      await onboardActor(
        registry,
        issuer,
        await makeCredential(mill.address, BusinessRole.Mill, { did: "did:web:n.example" }),
      );
      await expect(registry.verifyJws(...args))
        .to.be.revertedWithCustomError(registry, "AssertionKeyOfFormerDid")
        .withArgs(args[0]);
      await registry.connect(mill).retireAssertionKey(args[0]);
      await expect(registry.verifyJws(...args)).to.be.revertedWithCustomError(registry, "AssertionKeyNotCurrent");
    });

    it("refuses a credential that names another issuer than the key's actor", async function () {
      const { registry, mill, key, keyId, actors } = await loadFixture(fixture);
      const other = actors.certifier.credential.did;
      const jws = signJws(millTestReportPayload(other), key, keyId);
      await expect(registry.verifyJws(...jwsArgs(jws, keyId)))
        .to.be.revertedWithCustomError(registry, "CredentialIssuerMismatch")
        .withArgs(mill.address, other);
    });

    describe("reads the issuer from the top level only", function () {
      const cases: [string, (did: string, other: string) => string, "ok" | "mismatch" | "notFound" | "json"][] = [
        ["issuer as a string", (d) => `{"issuer":"${d}","x":1}`, "ok"],
        ["issuer object with id after other members", (d) => `{"issuer":{"name":"A","id":"${d}"}}`, "ok"],
        ["VC 1.1 JWT iss claim", (d) => `{"iss":"${d}","vc":{"issuer":"x"}}`, "ok"],
        ["whitespace everywhere", (d) => ` \n{ "a" : [1,{"issuer":"z"}] ,\t"issuer" : "${d}" }\r\n`, "ok"],
        [
          "issuer text inside a string value",
          (d, o) => `{"note":"\\"issuer\\":\\"${d}\\"","issuer":"${o}"}`,
          "mismatch",
        ],
        ["issuer in a nested object", (d, o) => `{"credentialSubject":{"issuer":"${d}"},"issuer":"${o}"}`, "mismatch"],
        ["issuer id nested deeper", (d, o) => `{"issuer":{"x":{"id":"${d}"},"id":"${o}"}}`, "mismatch"],
        ["issuer only inside an array", (d) => `{"list":["issuer","${d}"]}`, "notFound"],
        ["issuer as a number", () => `{"issuer":42}`, "notFound"],
        ["issuer object without id", () => `{"issuer":{"name":"A"}}`, "notFound"],
        ["a duplicated issuer", (d, o) => `{"issuer":"${d}","issuer":"${o}"}`, "json"],
        ["an escaped issuer member name", (d) => `{"issuer":"${d}","iss\\u0075er":"x"}`, "json"],
        ["bytes after the object", (d) => `{"issuer":"${d}"}{"issuer":"x"}`, "json"],
        ["an escaped DID", (d) => `{"issuer":"${d}\\u0000"}`, "json"],
        ["not an object", (d) => `["${d}"]`, "json"],
        ["an unterminated object", (d) => `{"issuer":"${d}"`, "json"],
      ];
      for (const [name, build, outcome] of cases) {
        it(`${name}: ${outcome}`, async function () {
          const { registry, mill, millDid, key, keyId } = await loadFixture(fixture);
          const call = registry.verifyJws(
            ...jwsArgs(signJws(build(millDid, "did:web:other.example"), key, keyId), keyId),
          );
          if (outcome === "ok") expect((await call)[0]).to.equal(mill.address);
          if (outcome === "mismatch") {
            await expect(call)
              .to.be.revertedWithCustomError(registry, "CredentialIssuerMismatch")
              .withArgs(mill.address, "did:web:other.example");
          }
          if (outcome === "notFound")
            await expect(call).to.be.revertedWithCustomError(registry, "CredentialIssuerNotFound");
          if (outcome === "json") await expect(call).to.be.revertedWithCustomError(registry, "UnsupportedJson");
        });
      }
    });
  });
});
