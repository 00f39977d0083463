/**
 * The JSON-LD contexts the trace-interop node and its proofs need, bundled so that nothing is fetched from the
 * network (sources and licences in NOTICE.md). Keyed by every URL under which the context is published.
 */
import credentialsV1 from "./credentials-v1.json";
import credentialsV2 from "./credentials-v2.json";
import didV1 from "./did-v1.json";
import ed25519Signature2018V1 from "./security-suites-ed25519-2018-v1.json";
import jsonWebSignature2020V1 from "./security-suites-jws-2020-v1.json";
import securityV1 from "./security-v1.json";
import securityV2 from "./security-v2.json";
import traceabilityV1 from "./traceability-v1.json";
import revocationList2020V1 from "./vc-revocation-list-2020-v1.json";
import statusList2021V1 from "./vc-status-list-2021-v1.json";

export const CREDENTIALS_V1_URL = "https://www.w3.org/2018/credentials/v1";
export const CREDENTIALS_V2_URL = "https://www.w3.org/ns/credentials/v2";
export const TRACEABILITY_V1_URL = "https://w3id.org/traceability/v1";
export const DID_V1_URL = "https://www.w3.org/ns/did/v1";
export const ED25519_2018_V1_URL = "https://w3id.org/security/suites/ed25519-2018/v1";
export const JWS_2020_V1_URL = "https://w3id.org/security/suites/jws-2020/v1";
export const REVOCATION_LIST_2020_V1_URL = "https://w3id.org/vc-revocation-list-2020/v1";
export const STATUS_LIST_2021_V1_URL = "https://w3id.org/vc/status-list/2021/v1";

export const BUNDLED_CONTEXTS: Readonly<Record<string, object>> = Object.freeze({
  [CREDENTIALS_V1_URL]: credentialsV1,
  [CREDENTIALS_V2_URL]: credentialsV2,
  [TRACEABILITY_V1_URL]: traceabilityV1,
  [DID_V1_URL]: didV1,
  "https://w3id.org/did/v1": didV1,
  [ED25519_2018_V1_URL]: ed25519Signature2018V1,
  [JWS_2020_V1_URL]: jsonWebSignature2020V1,
  "https://w3c-ccg.github.io/lds-jws2020/contexts/lds-jws2020-v1.json": jsonWebSignature2020V1,
  "https://w3id.org/security/v1": securityV1,
  "https://w3id.org/security/v2": securityV2,
  [REVOCATION_LIST_2020_V1_URL]: revocationList2020V1,
  [STATUS_LIST_2021_V1_URL]: statusList2021V1,
});
