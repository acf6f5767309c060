// The EUC1 verifier for the browser: docs/spec/euc-qr.md, with no build step and no
// dependency. `import { TrustStore, RevocationState, verify } from ".../euc1/index.js"`.
export { verify, read, PREFIX, MAX_TEXT_LENGTH } from "./verify.js";
export { TrustStore } from "./trust.js";
export { Federation, verifyFederated } from "./federation.js";
export { RevocationState, STATE_FORMAT } from "./revocation.js";
export { Malformed, ListRefused, TrustListError } from "./errors.js";
export * from "./codes.js";
