"""The revocation list: every certificate's and signer's status, published signed, in full
and as deltas."""
