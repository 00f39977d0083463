/**
 * `ethereum.*`: contract calls, balances and code at the trigger's block, and ABI encoding. WASM imports are
 * synchronous, so a request whose answer is not cached yet throws `NeedsRpc`; the runner makes the request
 * and replays the handler (../host.ts, `runEventHandler`).
 */
import { FunctionFragment, hexlify, toBeHex, type Interface } from "ethers";
import { DeterministicError, NeedsRpc, NonDeterministicError } from "../errors";
import { compareVersion } from "../ethereum";
import { decodeValue, encodeValue, fromEthers, type EthValue } from "../ethvalue";
import type { HostContext } from "./context";

/** graph-ts' `ethereum.SmartContractCall`. */
export interface ContractCall {
  contractName: string;
  address: Uint8Array;
  functionName: string;
  /** `name(in,…):(out,…)`, or "" for the first function of that name. */
  signature: string;
  args: EthValue[];
}

type RpcAnswer = { ok?: string; reverted?: boolean; message?: string };

function rpcErrorIsRevert(e: unknown): boolean {
  const err = e as { code?: unknown; message?: string; data?: unknown };
  if (typeof err?.code !== "number") return false;
  if (err.code === 3) return true;
  return /revert|VM Exception|invalid opcode|out of gas|stack underflow/i.test(err.message ?? "");
}

/** The cached answer of a request, or `NeedsRpc` so that the runner fetches it (a revert is an answer). */
function rpcOnce(ctx: HostContext, key: string, method: string, params: unknown[]): RpcAnswer {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as RpcAnswer;
  const rpc = ctx.env.rpc;
  if (!rpc) throw new DeterministicError(`${method} is not available: no JSON-RPC endpoint was configured`);
  throw new NeedsRpc(key, async () => {
    try {
      return { ok: await rpc(method, params) };
    } catch (e) {
      if (rpcErrorIsRevert(e)) return { reverted: true, message: (e as Error).message };
      throw new NonDeterministicError(`${method} failed: ${(e as Error).message}`);
    }
  });
}

const blockTag = (ctx: HostContext): string => toBeHex(ctx.env.blockNumber);

function requireApi(ctx: HostContext, name: string): void {
  if (compareVersion(ctx.apiVersion, "0.0.9") < 0) {
    throw new DeterministicError(`${name} is only available for apiVersion 0.0.9 and later`);
  }
}

/** `name(in,…):(out,…)` as graph-ts writes function signatures. */
function signatureOf(f: FunctionFragment): string {
  return `${f.name}(${f.inputs.map((p) => p.format("sighash")).join(",")}):(${f.outputs.map((p) => p.format("sighash")).join(",")})`;
}

/** ethers accepts int/uint as bigint and bytes as hex; tuples and arrays as nested arrays. */
function toCallArg(v: EthValue): unknown {
  switch (v.kind) {
    case "address":
    case "fixedBytes":
    case "bytes":
    case "function":
      return hexlify(v.value);
    case "fixedArray":
    case "array":
    case "tuple":
      return v.value.map(toCallArg);
    default:
      return v.value;
  }
}

/** The ABI function a call names: by signature when given, else the first of that name. */
function callFragment(ctx: HostContext, call: ContractCall): { abi: Interface; fragment: FunctionFragment } {
  const abi = ctx.ds!.abis.get(call.contractName);
  if (!abi) {
    throw new DeterministicError(
      `Could not find ABI for contract "${call.contractName}", try adding it to the 'abis' section of the subgraph manifest`,
    );
  }
  const candidates = abi.fragments.filter(
    (f): f is FunctionFragment => f instanceof FunctionFragment && f.name === call.functionName,
  );
  const fragment = call.signature ? candidates.find((f) => signatureOf(f) === call.signature) : candidates[0];
  if (!fragment) {
    throw new DeterministicError(
      `Unknown function "${call.contractName}::${call.functionName}" called from WASM runtime`,
    );
  }
  return { abi, fragment };
}

/** The call's outputs at the trigger's block; null when it reverted or returned nothing it should have. */
export function ethereumCall(ctx: HostContext, call: ContractCall): EthValue[] | null {
  const { abi, fragment } = callFragment(ctx, call);
  const address = hexlify(call.address);
  let data: string;
  try {
    data = abi.encodeFunctionData(fragment, call.args.map(toCallArg));
  } catch (e) {
    throw new DeterministicError(`Failed to encode the arguments of ${signatureOf(fragment)}: ${(e as Error).message}`);
  }
  const key = `eth_call:${ctx.env.blockNumber}:${address}:${data}`;
  const answer = rpcOnce(ctx, key, "eth_call", [{ to: address, data }, blockTag(ctx)]);
  if (answer.reverted || answer.ok === "0x" || answer.ok === undefined) {
    return answer.ok === "0x" && fragment.outputs.length === 0 ? [] : null;
  }
  try {
    const decoded = abi.decodeFunctionResult(fragment, answer.ok);
    return fragment.outputs.map((o, idx) => fromEthers(o, decoded[idx]));
  } catch (e) {
    throw new DeterministicError(`Failed to decode the result of ${signatureOf(fragment)}: ${(e as Error).message}`);
  }
}

export function ethereumGetBalance(ctx: HostContext, address: Uint8Array): bigint {
  requireApi(ctx, "ethereum.getBalance");
  const hex = hexlify(address);
  const a = rpcOnce(ctx, `balance:${ctx.env.blockNumber}:${hex}`, "eth_getBalance", [hex, blockTag(ctx)]);
  if (a.ok === undefined) throw new DeterministicError(`eth_getBalance failed for ${hex}`);
  return BigInt(a.ok);
}

export function ethereumHasCode(ctx: HostContext, address: Uint8Array): boolean {
  requireApi(ctx, "ethereum.hasCode");
  const hex = hexlify(address);
  const a = rpcOnce(ctx, `code:${ctx.env.blockNumber}:${hex}`, "eth_getCode", [hex, blockTag(ctx)]);
  if (a.ok === undefined) throw new DeterministicError(`eth_getCode failed for ${hex}`);
  return a.ok !== "0x" && a.ok !== "";
}

/** ABI encoding of a value; null when it can't be encoded. */
export function ethereumEncode(v: EthValue): Uint8Array | null {
  try {
    return encodeValue(v);
  } catch {
    return null;
  }
}

/** ABI decoding of `data` as `types` (e.g. `(uint256,address)`); null when it doesn't fit. */
export function ethereumDecode(types: string, data: Uint8Array): EthValue | null {
  try {
    return decodeValue(types, data);
  } catch {
    return null;
  }
}
