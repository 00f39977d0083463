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
