/** Filing codes and types as the ShipmentRegistry takes them: shared by the season of `npm start` and the tests. */
import { ethers } from "ethers";
import type { IShipmentRegistry } from "../../typechain-types/contracts/interfaces/IShipmentRegistry";

export type Filing = IShipmentRegistry.ShipmentFilingStruct;
export type Line = IShipmentRegistry.LineStruct;

/** ASCII text as a right-padded fixed-size hex value (bytes2 countries, bytes5 ports). */
export function code(text: string): string {
  return ethers.hexlify(ethers.toUtf8Bytes(text));
}

export function id(label: string): string {
  return ethers.id(label);
}

/**
 * The id the ShipmentRegistry gives a filing: keccak256(abi.encode(importer, filingReference)), so an importer's
 * references can't collide with another importer's (SECURITY.md A6). Same as `ShipmentRegistry.shipmentIdOf`.
 */
export function shipmentIdOf(importer: string, filingReference: string): string {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [importer, filingReference]),
  );
}
