// Every result, reason code and warning a verifier reports (docs/spec/euc-qr.md section 10),
// for the pages to check that they render each; and the codes of this library's own refusals.
export { SIGNER_REFUSALS, SIGNER_STATUSES } from "./trust.js";
export { ENTRY_STATUSES, LIST_REFUSALS } from "./revocation.js";
export { CATEGORIES, END_USER_KINDS } from "./content.js";

export const MALFORMED_CODES = ["text_too_long", "not_euc1", "base45_invalid", "zlib_invalid",
  "zlib_too_large", "cose_invalid", "cbor_invalid", "cbor_not_preferred", "cbor_item_not_allowed",
  "duplicate_key", "header_invalid", "alg_unsupported", "payload_not_a_map", "claim_missing",
  "claim_unknown", "claim_invalid", "validity_inverted", "content_version_unsupported",
  "content_invalid"];

// By result. EXHAUSTED and valid_unrecorded come only from the registry online.
export const RESULT_CODES = {
  VALID: ["valid", "valid_unrecorded"],
  REVOKED: ["signer_revoked", "revoked"],
  SUSPENDED: ["suspended"],
  EXPIRED: ["expired"],
  NOT_YET_VALID: ["not_yet_valid"],
  EXHAUSTED: ["exhausted"],
  UNKNOWN_SIGNER: ["signer_unknown", "signer_not_trusted", "signer_not_valid_at_iat",
    "authority_unknown", "authority_mismatch"],
  BAD_SIGNATURE: ["signature_invalid"],
  MALFORMED: MALFORMED_CODES,
};
export const RESULTS = Object.keys(RESULT_CODES);

// verify() reports the first two; the others are the sync's, for the pages to add.
export const WARNING_CODES = ["revocation_not_checked", "revocation_list_stale",
  "revocation_list_age", "clock_skew", "clock_unchecked", "issued_abroad"];

// The revocation list's reason codes (`r`, section 8); a code not here is shown as a number.
export const REVOCATION_REASONS = ["unspecified", "licence_revoked", "licence_suspended",
  "registration_revoked", "registration_suspended", "issued_in_error", "superseded",
  "key_compromise", "diversion_suspected"];
