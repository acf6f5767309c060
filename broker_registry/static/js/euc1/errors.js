// Every refusal is a code with named parameters (docs/spec/euc-qr.md section 10); the message
// is an English technical note for logs and support, never shown to an officer as it is.

/** The input is not a well-formed EUC1 certificate: the result is MALFORMED. */
export class Malformed extends Error {
  constructor(code, detail, params = {}) {
    super(detail);
    this.name = "Malformed";
    this.code = code;
    this.params = params;
  }
}

/** A revocation list was refused (section 8); the state held is unchanged. */
export class ListRefused extends Error {
  constructor(code, detail) {
    super(detail);
    this.name = "ListRefused";
    this.code = code;
  }
}

/** A trust list that is malformed or names another root than the pinned one (section 7). */
export class TrustListError extends Error {
  constructor(code, detail) {
    super(detail);
    this.name = "TrustListError";
    this.code = code;
  }
}
