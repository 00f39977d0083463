import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { coo, mtr, recordIdOf } from "../../helpers/documents";
import { deployTradeSystem } from "../../helpers/trade-system";
import { millTestReportPayload, newP256Key, signJws, testDidOf } from "../../helpers/jws";
import {
  keyIdHash,
  parseCompactJws,
  signedContentHash,
  signedCredentialStruct,
  workflowInstanceId,
} from "../../../interop/anchor/signed-credential";

const REASON = ethers.encodeBytes32String("TEST");
const WORKFLOW = workflowInstanceId("workflow:anchor-test");

describe("Signed anchoring (VC-JOSE) in the document registries", function () {
  async function fixture() {
    const system = await deployTradeSystem();
    const { actors, mill, mill2, certifier } = system;
    const keys = {
      mill: { key: newP256Key(), id: `${testDidOf(mill.address)}#key-1` },
      mill2: { key: newP256Key(), id: `${testDidOf(mill2.address)}#key-1` },
      certifier: { key: newP256Key(), id: `${testDidOf(certifier.address)}#key-1` },
    };
    await actors.connect(mill).registerAssertionKey(keys.mill.id, keys.mill.key.x, keys.mill.key.y);
    await actors.connect(mill2).registerAssertionKey(keys.mill2.id, keys.mill2.key.x, keys.mill2.key.y);
    await actors.connect(certifier).registerAssertionKey(keys.certifier.id, keys.certifier.key.x, keys.certifier.key.y);
    return { ...system, keys };
  }

  /** The arguments of `anchorSigned` for a mill test report signed with `signer`, as the relayer builds them. */
  function signedReport(jws: string, keyId: string, recordIndex = 0, label = "S1") {
    const parsed = parseCompactJws(jws);
    const credential = signedCredentialStruct(parsed, keyId, recordIndex, WORKFLOW);
    const contentHash = signedContentHash(ethers.sha256(parsed.payloadBytes), recordIndex);
    return {
      credential,
      report: mtr(label, { contentHash }),
      contentHash,
      payloadHash: ethers.sha256(parsed.payloadBytes),
    };
  }

  describe("valid credentials", function () {
    it("a relayer anchors a mill's signed report: the record is the mill's, the event carries the payload", async function () {
      const { reports, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill.key, keys.mill.id);
      const { credential, report, contentHash, payloadHash } = signedReport(jws, keys.mill.id);
      const recordId = recordIdOf(mill.address, contentHash);
      const tx = reports.connect(relayer).anchorSigned(credential, report);
      await expect(tx)
        .to.emit(reports, "SignedCredentialAnchored")
        .withArgs(
          recordId,
          keyIdHash(keys.mill.id),
          WORKFLOW,
          mill.address,
          payloadHash,
          0,
          credential.protectedHeader,
          credential.payload,
        );
      await expect(tx).to.emit(reports, "MillTestReportIssued");
      expect((await reports.recordOf(recordId)).issuer).to.equal(mill.address);
      const gas = (await (await tx).wait())!.gasUsed;
      const payloadBytes = ethers.getBytes(credential.payload).length;
      console.log(`      gas: MTR anchorSigned ${gas} (payload ${payloadBytes} bytes)`);
    });

    it("record i of a multi-inspection credential is its own record; the same index twice is a duplicate", async function () {
      const { reports, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill.key, keys.mill.id);
      const first = signedReport(jws, keys.mill.id, 0, "I0");
      const second = signedReport(jws, keys.mill.id, 1, "I1");
      await reports.connect(relayer).anchorSigned(first.credential, first.report);
      await reports.connect(relayer).anchorSigned(second.credential, second.report);
      expect(first.contentHash).to.not.equal(second.contentHash);
      const again = signedReport(jws, keys.mill.id, 1, "I2");
      await expect(reports.connect(relayer).anchorSigned(again.credential, again.report))
        .to.be.revertedWithCustomError(reports, "DuplicateRecord")
        .withArgs(recordIdOf(mill.address, second.contentHash));
    });

    it("a relayer anchors a certifier's signed certificate of origin", async function () {
      const { certificates, relayer, certifier, exporter, importer, keys } = await loadFixture(fixture);
      const payload = { ...millTestReportPayload(testDidOf(certifier.address)), type: ["VerifiableCredential"] };
      const parsed = parseCompactJws(signJws(payload, keys.certifier.key, keys.certifier.id));
      const credential = signedCredentialStruct(parsed, keys.certifier.id, 0, WORKFLOW);
      const contentHash = signedContentHash(ethers.sha256(parsed.payloadBytes), 0);
      const certificate = coo("S1", exporter.address, importer.address, { contentHash });
      const tx = certificates.connect(relayer).anchorSigned(credential, certificate);
      await expect(tx).to.emit(certificates, "SignedCredentialAnchored");
      const recordId = recordIdOf(certifier.address, contentHash);
      expect((await certificates.recordOf(recordId)).issuer).to.equal(certifier.address);
      console.log(`      gas: CoO anchorSigned ${(await (await tx).wait())!.gasUsed}`);
    });
  });

  describe("refusals", function () {
    it("a tampered payload: InvalidAssertionSignature", async function () {
      const { reports, actors, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill.key, keys.mill.id);
      const { credential, report } = signedReport(jws, keys.mill.id);
      const tampered = ethers.hexlify(
        ethers.toUtf8Bytes(ethers.toUtf8String(credential.payload).replace("289600", "989600")),
      );
      const contentHash = signedContentHash(ethers.sha256(tampered), 0);
      await expect(
        reports.connect(relayer).anchorSigned({ ...credential, payload: tampered }, { ...report, contentHash }),
      )
        .to.be.revertedWithCustomError(actors, "InvalidAssertionSignature")
        .withArgs(keyIdHash(keys.mill.id));
    });

    it("a record whose content hash is not its signed payload's: ContentHashNotSigned", async function () {
      const { reports, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill.key, keys.mill.id);
      const { credential, report, contentHash } = signedReport(jws, keys.mill.id);
      const other = ethers.id("another credential");
      await expect(reports.connect(relayer).anchorSigned(credential, { ...report, contentHash: other }))
        .to.be.revertedWithCustomError(reports, "ContentHashNotSigned")
        .withArgs(contentHash, other);
      await expect(reports.connect(relayer).anchorSigned({ ...credential, recordIndex: 3 }, report))
        .to.be.revertedWithCustomError(reports, "ContentHashNotSigned")
        .withArgs(signedContentHash(ethers.sha256(credential.payload), 3), contentHash);
    });

    it("a signature by another key than the registered one: InvalidAssertionSignature", async function () {
      const { reports, actors, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), newP256Key(), keys.mill.id);
      const { credential, report } = signedReport(jws, keys.mill.id);
      await expect(reports.connect(relayer).anchorSigned(credential, report)).to.be.revertedWithCustomError(
        actors,
        "InvalidAssertionSignature",
      );
    });

    it("a retired key: AssertionKeyNotCurrent", async function () {
      const { reports, actors, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill.key, keys.mill.id);
      await actors.connect(mill).retireAssertionKey(keyIdHash(keys.mill.id));
      const { credential, report } = signedReport(jws, keys.mill.id);
      await expect(reports.connect(relayer).anchorSigned(credential, report)).to.be.revertedWithCustomError(
        actors,
        "AssertionKeyNotCurrent",
      );
    });

    it("another actor's key, for a credential naming the mill: CredentialIssuerMismatch", async function () {
      const { reports, actors, relayer, mill, mill2, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill2.key, keys.mill2.id);
      const { credential, report } = signedReport(jws, keys.mill2.id);
      await expect(reports.connect(relayer).anchorSigned(credential, report))
        .to.be.revertedWithCustomError(actors, "CredentialIssuerMismatch")
        .withArgs(mill2.address, testDidOf(mill.address));
      // Nor can the relayer name the mill's key for mill2's signature.
      const misnamed = signedReport(jws, keys.mill.id);
      await expect(reports.connect(relayer).anchorSigned(misnamed.credential, misnamed.report))
        .to.be.revertedWithCustomError(actors, "InvalidAssertionSignature")
        .withArgs(keyIdHash(keys.mill.id));
    });

    it("a credential naming another issuer than the key's actor: CredentialIssuerMismatch", async function () {
      const { reports, actors, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload("did:web:posco.example"), keys.mill.key, keys.mill.id);
      const { credential, report } = signedReport(jws, keys.mill.id);
      await expect(reports.connect(relayer).anchorSigned(credential, report))
        .to.be.revertedWithCustomError(actors, "CredentialIssuerMismatch")
        .withArgs(mill.address, "did:web:posco.example");
    });

    it("a suspended issuer, or one without the document's role: ActorNotActive", async function () {
      const { reports, actors, cbp, relayer, mill, certifier, keys } = await loadFixture(fixture);
      const notMill = signJws(
        millTestReportPayload(testDidOf(certifier.address)),
        keys.certifier.key,
        keys.certifier.id,
      );
      const wrongRole = signedReport(notMill, keys.certifier.id);
      await expect(reports.connect(relayer).anchorSigned(wrongRole.credential, wrongRole.report))
        .to.be.revertedWithCustomError(reports, "ActorNotActive")
        .withArgs(certifier.address, 1);
      await actors.connect(cbp).suspend(mill.address, REASON);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill.key, keys.mill.id);
      const { credential, report } = signedReport(jws, keys.mill.id);
      await expect(reports.connect(relayer).anchorSigned(credential, report))
        .to.be.revertedWithCustomError(reports, "ActorNotActive")
        .withArgs(mill.address, 1);
    });

    it("an unknown key id: UnknownAssertionKey", async function () {
      const { reports, actors, relayer, mill, keys } = await loadFixture(fixture);
      const jws = signJws(millTestReportPayload(testDidOf(mill.address)), keys.mill.key, keys.mill.id);
      const { credential, report } = signedReport(jws, `${testDidOf(mill.address)}#nope`);
      await expect(reports.connect(relayer).anchorSigned(credential, report))
        .to.be.revertedWithCustomError(actors, "UnknownAssertionKey")
        .withArgs(keyIdHash(`${testDidOf(mill.address)}#nope`));
    });
  });

  it("gas: anchorSigned against issueBySig, and the payload scan per kilobyte", async function () {
    const { reports, relayer, mill, keys } = await loadFixture(fixture);
    const gasFor = async (padding: number, label: string): Promise<bigint> => {
      const payload = { ...millTestReportPayload(testDidOf(mill.address)), notes: "x".repeat(padding) };
      const { credential, report } = signedReport(
        signJws(payload, keys.mill.key, keys.mill.id),
        keys.mill.id,
        0,
        label,
      );
      return (await (await reports.connect(relayer).anchorSigned(credential, report)).wait())!.gasUsed;
    };
    const small = await gasFor(0, "G0");
    const large = await gasFor(4096, "G4");
    const perKb = (large - small) / 4n;
    const direct = (await (await reports.connect(mill).issue(mtr("G5"))).wait())!.gasUsed;
    console.log(`      gas: issue ${direct}; anchorSigned ${small} (+${small - direct}); +${perKb} per KB of payload`);
    expect(large).to.be.greaterThan(small);
  });
});
