/** ES256 keys and compact JWS; their home is scripts/season/jws.ts (shared with the gas benchmark). */
export * from "../../scripts/season/jws";
