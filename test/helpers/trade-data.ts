/** A small trade data set over three blocks, for the query API tests. */
import type { EntityStore } from "../../indexer/store/types";
import { actor, addr, arr, big, block, bool, bytes, dec, entity, int, int8, shipment, str, ts } from "./store";

export const A = addr("aa");
export const B = addr("bb");
export const C = addr("cc");

/**
 * Block 1: actors A "Acme Steel" (DE), B "beta pipes" (US), C "Gamma"; shipments s1–s4; certificates c1 (A, DE),
 * c2 (B, US); mill report m1; events e1–e3. Block 2: s1 becomes SHIPPED, A is renamed "Acme Steel AG".
 * Block 3: s4 is removed.
 */
export function seedTrade(store: EntityStore): void {
  const w1 = store.beginBlock(block(1));
  w1.set("Actor", A, actor("Acme Steel", { country: str("DE"), roles: int(3) }));
  w1.set("Actor", B, actor("beta pipes", { country: str("US") }));
  w1.set("Actor", C, actor("Gamma"));
  w1.set(
    "Shipment",
    "s1",
    shipment(A, {
      reference: str("PIPE-001"),
      weightKg: big(2n ** 70n),
      value: dec(125n, -1),
      containers: int(3),
      sequence: int8(10n),
      hsCodes: arr(str("7304"), str("7306")),
      createdAt: ts(1000n),
      documentHash: bytes("0x00ff10"),
      certificates: arr(str("c1")),
    }),
  );
  w1.set(
    "Shipment",
    "s2",
    shipment(B, {
      reference: str("pipe-002"),
      status: str("SHIPPED"),
      consignee: bytes(A),
      weightKg: big(2n ** 64n + 1n),
      value: dec(-3n, 0),
      containers: int(1),
      sequence: int8(-5n),
      hsCodes: arr(str("7306")),
      flagged: bool(true),
      createdAt: ts(2000n),
      certificates: arr(str("c1"), str("c2")),
    }),
  );
  w1.set(
    "Shipment",
    "s3",
    shipment(A, {
      reference: str("Steel-003"),
      status: str("DELIVERED"),
      weightKg: big(5n),
      containers: int(2),
      sequence: int8(2n ** 40n),
      createdAt: ts(3000n),
      documentHash: bytes("0x10ff00"),
    }),
  );
  w1.set(
    "Shipment",
    "s4",
    shipment(C, {
      reference: str("BAR-004"),
      weightKg: big(-(2n ** 65n)),
      value: dec(1n, -3),
      containers: int(2),
      sequence: int8(0n),
      hsCodes: arr(str("7208")),
      flagged: bool(true),
      createdAt: ts(4000n),
    }),
  );
  w1.set("Certificate", "c1", entity({ issuedAt: ts(100n), issuer: bytes(A), origin: str("DE") }));
  w1.set("Certificate", "c2", entity({ issuedAt: ts(200n), issuer: bytes(B), origin: str("US") }));
  w1.set("MillReport", "m1", entity({ issuedAt: ts(150n), issuer: bytes(A), heatNumber: str("H1") }));
  w1.set("ShipmentEvent", "e1", entity({ shipment: str("s1"), status: str("DRAFT"), at: ts(1n) }));
  w1.set("ShipmentEvent", "e2", entity({ shipment: str("s1"), status: str("SHIPPED"), at: ts(2n) }));
  w1.set("ShipmentEvent", "e3", entity({ shipment: str("s2"), status: str("SHIPPED"), at: ts(3n) }));
  w1.commit();

  const w2 = store.beginBlock(block(2));
  w2.set("Shipment", "s1", entity({ status: str("SHIPPED") }));
  w2.set("Actor", A, entity({ name: str("Acme Steel AG") }));
  w2.commit();

  const w3 = store.beginBlock(block(3));
  w3.remove("Shipment", "s4");
  w3.commit();
}
