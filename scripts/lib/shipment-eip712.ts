/**
 * The EIP-712 types of the ShipmentRegistry's signed filings, named and ordered as the contract hashes them
 * (contracts/shipments/ShipmentRegistry.sol; its signature tests hold them equal). Browser-safe: the web app signs
 * filings with them.
 */

/** The registry's EIP-712 domain name (version "1"). */
export const SHIPMENT_DOMAIN = "TradeTrace ShipmentRegistry";

/** EIP-712 types of a filing, shared by FileShipment and AmendShipment. */
export const FILING_TYPES = {
  Parties: [
    { name: "importer", type: "address" },
    { name: "exporter", type: "address" },
    { name: "manufacturer", type: "address" },
    { name: "carrier", type: "address" },
  ],
  Line: [
    { name: "hts", type: "uint64" },
    { name: "declaredKg", type: "uint96" },
    { name: "declaredValueCents", type: "uint64" },
    { name: "originCountry", type: "bytes2" },
  ],
  ShipmentFiling: [
    { name: "parties", type: "Parties" },
    { name: "lines", type: "Line[]" },
    { name: "exportCountry", type: "bytes2" },
    { name: "transshipmentCountries", type: "bytes2[]" },
    { name: "portOfLading", type: "bytes5" },
    { name: "portOfEntry", type: "bytes5" },
    { name: "estimatedArrival", type: "uint64" },
    { name: "billOfLading", type: "string" },
    { name: "entryNumber", type: "string" },
    { name: "workflowInstanceId", type: "bytes32" },
  ],
};

export const FILE_SHIPMENT_TYPES = {
  FileShipment: [
    { name: "filingReference", type: "bytes32" },
    { name: "filing", type: "ShipmentFiling" },
    { name: "filer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  ...FILING_TYPES,
};

export const AMEND_SHIPMENT_TYPES = {
  AmendShipment: [
    { name: "shipmentId", type: "bytes32" },
    { name: "filing", type: "ShipmentFiling" },
    { name: "amender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  ...FILING_TYPES,
};
