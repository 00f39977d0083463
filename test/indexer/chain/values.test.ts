import { expect } from "chai";
import { AbiCoder, getBytes, hexlify, id as keccakText, solidityPackedKeccak256 } from "ethers";
import { ethers } from "hardhat";
import type { EntityData, StoreValue } from "../../../indexer/store/types";
import { indexerEnv, snapshot, type IndexerEnv } from "../../helpers/indexer-env";

const v = (e: EntityData | null, field: string): unknown => {
  const x = e?.get(field) as StoreValue | undefined;
  if (!x) return undefined;
  if (x.kind === "Null") return null;
  if (x.kind === "Array")
    return x.value.map((y) => (y.kind === "Bytes" ? hexlify(y.value) : "value" in y ? y.value : null));
  if (x.kind === "Bytes") return hexlify(x.value);
  return x.value;
};

describe("indexer/chain: every ABI value kind through eth_getLogs and the built mapping", function () {
  this.timeout(180_000);
  let env: IndexerEnv;
  let restore: () => Promise<void>;

  before(async () => {
    restore = await snapshot();
    env = await indexerEnv();
  });

  after(async () => {
    await restore();
  });

  it("scalars: address, bool, bytesN, bytes, int8/uint8, int256/uint256 extremes, string; block, tx, receipt", async () => {
    const [signer] = await ethers.getSigners();
    const b32 = hexlify(ethers.randomBytes(32));
    const args = [
      true,
      "0xdeadbeef",
      b32,
      "0x00ff10",
      -128,
      255,
      -(2n ** 255n),
      2n ** 256n - 1n,
      "héllo ✓ \u4e16",
    ] as const;
    const tx = await env.emitter.emitScalars(...args);
    const receipt = (await tx.wait())!;
    const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
    await env.indexer().syncOnce();

    const log = receipt.logs[0];
    const le32 = new Uint8Array(4);
    new DataView(le32.buffer).setInt32(0, log.index, true);
    const rows = env.store.all("Scalars");
    expect(rows.size).to.equal(1);
    const e = [...rows.values()][0];
    expect(v(e, "id"), "tx hash ++ little-endian i32 log index").to.equal(hexlify(ethers.concat([receipt.hash, le32])));
    expect(v(e, "sender")).to.equal(signer.address.toLowerCase());
    expect(v(e, "flag")).to.equal(true);
    expect(v(e, "b4")).to.equal("0xdeadbeef");
    expect(v(e, "b32")).to.equal(b32);
    expect(v(e, "data")).to.equal("0x00ff10");
    expect(v(e, "i8")).to.equal(-128);
    expect(v(e, "u8")).to.equal(255);
    expect(v(e, "i256")).to.equal(-(2n ** 255n));
    expect(v(e, "u256")).to.equal(2n ** 256n - 1n);
    expect(v(e, "text")).to.equal("héllo ✓ \u4e16");
    expect(v(e, "kinds")).to.deep.equal([0, 5, 1, 1, 2, 3, 4, 3, 4, 6]);
    const encoded = AbiCoder.defaultAbiCoder().encode(
      ["(address,bool,bytes4,bytes32,bytes,int256,uint256,int256,uint256,string)"],
      [[signer.address, ...args]],
    );
    expect(v(e, "encoded")).to.equal(encoded);
    expect(v(e, "blockNumber")).to.equal(BigInt(receipt.blockNumber));
    expect(v(e, "blockHash")).to.equal(block.hash);
    expect(v(e, "timestamp")).to.equal(BigInt(block.timestamp));
    expect(v(e, "txHash")).to.equal(receipt.hash);
    expect(v(e, "txFrom")).to.equal(signer.address.toLowerCase());
    expect(v(e, "txTo")).to.equal(env.emitterAddress);
    expect(v(e, "txNonce")).to.equal(BigInt(tx.nonce));
    expect(v(e, "txInput")).to.equal(tx.data);
    expect(v(e, "logIndex")).to.equal(BigInt(log.index));
    expect(v(e, "txLogIndex"), "transactionLogIndex = logIndex").to.equal(BigInt(log.index));
    expect(v(e, "logTypeIsNull")).to.equal(true);
    expect(v(e, "emitter")).to.equal(env.emitterAddress);
    expect(v(e, "receiptStatus")).to.equal(1n);
    expect(v(e, "receiptLogCount")).to.equal(1);
    expect(v(e, "receiptGasUsed")).to.equal(receipt.gasUsed);
    expect(v(e, "receiptTopic0")).to.equal(
      keccakText("ScalarsEmitted(address,bool,bytes4,bytes32,bytes,int8,uint8,int256,uint256,string)"),
    );
  });

  it("dynamic and fixed arrays of uints, addresses, int16, strings and bytes", async () => {
    const addrs = [ethers.Wallet.createRandom().address, ethers.ZeroAddress];
    const nums = [1n, 2n ** 200n, 0n];
    const fixedInts = [-32768, 0, 32767] as [number, number, number];
    const strs = ["a", "", "ünï"];
    const pairOfBytes = ["0x", "0x0102"] as [string, string];
    const receipt = (await (await env.emitter.emitArrays(nums, addrs, fixedInts, strs, pairOfBytes)).wait())!;
    await env.indexer().syncOnce();
    const e = [...env.store.all("Arrays").values()][0];
    expect(v(e, "nums")).to.deep.equal(nums);
    expect(v(e, "addrs")).to.deep.equal(addrs.map((a) => a.toLowerCase()));
    expect(v(e, "fixedInts")).to.deep.equal(fixedInts);
    expect(v(e, "strs")).to.deep.equal(strs);
    expect(v(e, "pairOfBytes")).to.deep.equal(pairOfBytes);
    // array, array, fixed array, array, fixed array; then the element kinds uint and int
    expect(v(e, "kinds")).to.deep.equal([8, 8, 7, 8, 7, 4, 3]);
    const encoded = AbiCoder.defaultAbiCoder().encode(
      ["(uint256[],address[],int256[3],string[],bytes[2])"],
      [[nums, addrs, fixedInts, strs, pairOfBytes]],
    );
    expect(v(e, "encoded")).to.equal(encoded);
    expect(receipt.status).to.equal(1);
  });

  it("tuples, nested tuples and arrays of tuples", async () => {
    const pair = { a: 5n, b: "five" };
    const nested = { inner: { a: 2n ** 255n, b: "inner" }, flags: [true, false, true], x: -(2 ** 31) };
    const pairs = [
      { a: 1n, b: "one" },
      { a: 2n, b: "two" },
    ];
    await (await env.emitter.emitTuples(pair, nested, pairs)).wait();
    await env.indexer().syncOnce();
    const e = [...env.store.all("Tuples").values()][0];
    expect(v(e, "pairA")).to.equal(5n);
    expect(v(e, "pairB")).to.equal("five");
    expect(v(e, "innerA")).to.equal(2n ** 255n);
    expect(v(e, "innerB")).to.equal("inner");
    expect(v(e, "flags")).to.deep.equal([true, false, true]);
    expect(v(e, "x")).to.equal(-(2 ** 31));
    expect(v(e, "pairsA")).to.deep.equal([1n, 2n]);
    expect(v(e, "pairsB")).to.deep.equal(["one", "two"]);
    expect(v(e, "kinds")).to.deep.equal([9, 9, 8, 9, 8, 3]);
    const encoded = AbiCoder.defaultAbiCoder().encode(
      ["((uint256,string),((uint256,string),bool[],int256),(uint256,string)[])"],
      [[[pair.a, pair.b], [[nested.inner.a, nested.inner.b], nested.flags, nested.x], pairs.map((p) => [p.a, p.b])]],
    );
    expect(v(e, "encoded")).to.equal(encoded);
  });

  it("indexed dynamic values arrive as FixedBytes(32) holding the topic hash", async () => {
    await (await env.emitter.emitIndexed("topic", [1n, 2n], 99n)).wait();
    await env.indexer().syncOnce();
    const e = [...env.store.all("Indexed").values()][0];
    expect(v(e, "topicText")).to.equal(keccakText("topic"));
    expect(v(e, "topicNums")).to.equal(solidityPackedKeccak256(["uint256[]"], [[1n, 2n]]));
    expect(v(e, "plain")).to.equal(99n);
    expect(v(e, "kinds")).to.deep.equal([1, 1, 4]);
  });

  it("ethereum.call runs at the trigger's block; a reverting call gives null (try_)", async () => {
    await (await env.emitter.requestOp(8, 0, "first")).wait();
    await (await env.emitter.requestOp(8, 0, "second")).wait();
    await env.indexer().syncOnce();
    const results = [...env.store.all("OpResult").values()]
      .filter((e) => v(e, "op") === 8)
      .map((e) => v(e, "results"))
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(results).to.deep.equal([
      ["1", "first", "reverted"],
      ["2", "second", "reverted"],
    ]);
  });

  it("ethereum.getBalance and hasCode answer at the trigger's block", async () => {
    const [signer] = await ethers.getSigners();
    const receipt = (await (await env.emitter.requestOp(17, 0, "")).wait())!;
    const balance = await ethers.provider.getBalance(signer.address, receipt.blockNumber);
    // hardhat_setBalance rewrites the latest block's state, so move past the trigger's block first
    await ethers.provider.send("evm_mine", []);
    await ethers.provider.send("hardhat_setBalance", [signer.address, "0x1"]); // later blocks must not matter
    await ethers.provider.send("evm_mine", []);
    await env.indexer().syncOnce();
    const e = [...env.store.all("OpResult").values()].find((x) => v(x, "op") === 17)!;
    expect(v(e, "big")).to.equal(balance);
    expect(v(e, "flag")).to.equal(true);
    expect(v(e, "results")).to.deep.equal(["no code"]);
    await ethers.provider.send("hardhat_setBalance", [signer.address, ethers.toQuantity(balance)]);
  });

  it("the event id is the tx hash followed by the log index (Bytes.concatI32)", () => {
    const ids = [...env.store.all("Scalars").keys()];
    expect(ids).to.have.length(1);
    expect(getBytes(ids[0]).length).to.equal(36);
  });
});
