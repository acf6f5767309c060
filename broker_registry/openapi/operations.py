"""Every operation of the JSON API: its summary, request body, answer, and query parameters.

One row per Flask endpoint (`blueprint.view`); a route with an `any(...)` part has a row per
choice (`endpoint:choice`). The document builder walks the app's URL map and looks each route
up here, so a new route without a row fails the tests instead of going undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..accounts.schemas import (
    AccountAdmin,
    AccountPublic,
    PasswordChange,
    SignUp,
    StandingChange,
    TokenPublic,
    TokenRequest,
)
from ..audit.models import AuditAction
from ..brokers.schemas import BrokerApplication, Decision
from ..brokers.schemas import Reason as BrokerReason
from ..certificates.schemas import IssueRequest
from ..certificates.schemas import Revocation as CertificateRevocation
from ..customs.schemas import DeliveryRequest, ShipmentRequest, VerifyRequest
from ..federation.schemas import AbroadShipmentRequest, AuthorityRequest, ReasonRequest
from ..history.reading import SUBJECT_TYPES as AUDIT_SUBJECT_TYPES
from ..licences.schemas import BrokerResponse, LicenceApplication, LicenceDecision
from ..licences.schemas import Reason as LicenceReason
from ..screening.schemas import NationalEntryEdit, RemovalReason
from . import responses as r


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class Operation:
    summary: str
    request: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    body_optional: bool = False  # an empty body is accepted (defaults apply)
    query: tuple[Query, ...] = ()
    media: str = "application/json"  # the success answer's media type
    multipart: dict[str, str] | None = None  # form field -> description, for uploads
    example: dict[str, Any] | None = None
    idempotent_retry: bool = False  # takes an Idempotency-Key header
    not_modified: bool = False  # answers 304 to a matching If-None-Match
    also: tuple[int, ...] = ()  # problem statuses a public operation answers too (401 ...)
    tag: str = ""


LIMIT = Query("limit", "page size, 1 to 500 (default 50)",
              {"type": "integer", "minimum": 1, "maximum": 500})
CURSOR = Query("cursor", "the `next_cursor` of the previous page")
COUNTRY = Query("country", "ISO 3166-1 alpha-2 country code",
                {"type": "string", "minLength": 2, "maxLength": 2})
PAGED = (LIMIT, CURSOR)

REASON_EXAMPLE = {"reason": "Inspection found undeclared transit through an embargoed state."}
PARTY = {"name": "Fabbrica d'Armi Esempio S.p.A.", "address": "Via Roma 1, Brescia",
         "country": "IT"}

OPERATIONS: dict[str, Operation] = {
    # Accounts
    "accounts_api.sign_up": Operation(
        "Sign up a broker account: the account is made once the link mailed to the address "
        "is followed (the answer is the same if the address has an account)", SignUp,
        r.SignUpAccepted, 202, tag="Accounts",
        example={"email": "compliance@nordlicht.example", "password": "a long passphrase",
                 "display_name": "Nordlicht compliance desk"}),
    "accounts_api.token": Operation(
        "Log in: exchange an email and password for a bearer token (rate limited)",
        TokenRequest, r.TokenIssued, tag="Accounts", also=(401,),
        example={"email": "compliance@nordlicht.example", "password": "a long passphrase",
                 "name": "case system"}),
    "accounts_api.me": Operation("The caller's account and role", None, AccountPublic,
                                 tag="Accounts"),
    "accounts_api.change_password": Operation(
        "Change the password; every session and token of the account ends", PasswordChange,
        AccountPublic, tag="Accounts",
        example={"current_password": "a long passphrase", "new_password": "another one"}),
    "accounts_api.list_tokens": Operation("The caller's API tokens", None, r.TokenPage,
                                          tag="Accounts", query=PAGED),
    "accounts_api.revoke_token": Operation("Revoke one of the caller's tokens", None,
                                           TokenPublic, tag="Accounts"),
    "accounts_api.list_accounts": Operation("Every account, with its role and standing (admins)",
                                            None, r.AccountPage, tag="Accounts", query=PAGED),
    "accounts_api.change_standing:deactivate": Operation(
        "Deactivate an account: every session and token of it ends at once (admins)",
        StandingChange, AccountAdmin, tag="Accounts",
        example={"reason": "Left the customs service on 30 November."}),
    "accounts_api.change_standing:reactivate": Operation(
        "Reactivate an account; its old sessions and tokens stay ended (admins)",
        StandingChange, AccountAdmin, tag="Accounts",
        example={"reason": "Back from secondment."}),
    # Broker registration
    "brokers_api.apply": Operation(
        "Apply for registration as a broker", BrokerApplication, r.BrokerDetail, 201,
        tag="Brokers",
        example={"legal_name": "Nordlicht Handelsvermittlung GmbH", "kind": "company",
                 "country": "DE", "company_number": "HRB 123456",
                 "address": "Mühlenstraße 12\n20095 Hamburg",
                 "email": "compliance@nordlicht.example", "activities": ["brokering"],
                 "beneficial_owners": [{"name": "Jürgen Köhler", "nationality": "DE"}],
                 "convictions_declared": False}),
    "brokers_api.get": Operation("A registration with its status and history", None,
                                 r.BrokerDetail, tag="Brokers"),
    "brokers_api.list_brokers": Operation(
        "Registrations: the review queue (regulators) or the caller's own (brokers)", None,
        r.BrokerPage, tag="Brokers",
        query=(Query("status", "a registration status, or `renewal`"), COUNTRY, *PAGED)),
    "brokers_api.decide": Operation(
        "Approve or refuse a registration", Decision, r.BrokerDetail, tag="Brokers",
        example={"decision": "approve", "reason": "Documents complete; no convictions."}),
    "brokers_api.suspend": Operation("Suspend a registration and everything under it",
                                     BrokerReason, r.BrokerDetail, tag="Brokers",
                                     example=REASON_EXAMPLE),
    "brokers_api.reinstate": Operation("Reinstate a suspended registration", BrokerReason,
                                       r.BrokerDetail, tag="Brokers", example=REASON_EXAMPLE),
    "brokers_api.revoke": Operation("Revoke a registration and everything under it",
                                    BrokerReason, r.BrokerDetail, tag="Brokers",
                                    example=REASON_EXAMPLE),
    "brokers_api.renewal": Operation("Ask for the registration to be renewed", None,
                                     r.BrokerDetail, body_optional=True, tag="Brokers"),
    "brokers_api.public_register": Operation(
        "The public register of brokers", None, r.RegisterPage, tag="Brokers",
        query=(Query("q", "words of the name or the registration number"), COUNTRY, *PAGED)),
    # Licences
    "licences_api.categories": Operation(
        "The goods categories a licence may name", None, r.CategoryPage, tag="Licences",
        query=(Query("lang", "language of the names, e.g. `en`"), *PAGED)),
    "licences_api.apply": Operation(
        "Apply for a brokering licence", LicenceApplication, r.LicenceDetail, 201,
        tag="Licences",
        example={"broker_id": 1, "supplier": PARTY,
                 "consignee": {"name": "Ghana Armed Forces Logistics Command",
                               "address": "Burma Camp, Accra", "country": "GH"},
                 "end_user": {"name": "Ghana Armed Forces", "address": "Burma Camp, Accra",
                              "country": "GH", "kind": "armed_forces"},
                 "transit_countries": ["FR"],
                 "goods": [{"description": "Semi-automatic pistols, 9 mm",
                            "category": "SALW-1", "quantity": 200, "unit": "piece",
                            "unit_value": "450.00", "currency": "EUR"}],
                 "end_use": "Sidearms for military police units.",
                 "transport": "Air cargo, Milan to Accra.",
                 "financing": "Letter of credit.", "valid_until": "2027-06-30"}),
    "licences_api.get": Operation("An application or licence with screening and history",
                                  None, r.LicenceDetail, tag="Licences"),
    "licences_api.list_licences": Operation(
        "Licences: all (regulators) or the caller's own (brokers)", None, r.LicencePage,
        tag="Licences",
        query=(Query("status", "a licence status"), COUNTRY,
               Query("broker_id", "only this broker's", {"type": "integer", "minimum": 1}),
               *PAGED)),
    "licences_api.decide": Operation(
        "Approve (twice, by two regulators), deny, or ask for information", LicenceDecision,
        r.LicenceDetail, tag="Licences",
        example={"decision": "approve", "reason": "End use plausible; screening clear."}),
    "licences_api.respond": Operation(
        "Answer a regulator's request for information", BrokerResponse, r.LicenceDetail,
        tag="Licences", example={"response": "The end-user certificate is attached."}),
    "licences_api.sanction:suspend": Operation("Suspend a licence", LicenceReason,
                                               r.LicenceDetail, tag="Licences",
                                               example=REASON_EXAMPLE),
    "licences_api.sanction:reinstate": Operation("Reinstate a suspended licence",
                                                 LicenceReason, r.LicenceDetail,
                                                 tag="Licences", example=REASON_EXAMPLE),
    "licences_api.sanction:revoke": Operation("Revoke a licence and its certificates",
                                              LicenceReason, r.LicenceDetail, tag="Licences",
                                              example=REASON_EXAMPLE),
    # Certificates
    "certificates_api.issue": Operation(
        "Issue a signed end-user certificate under an issued licence (empty body: "
        "everything left)", IssueRequest, r.CertificateDetail, 201, body_optional=True,
        tag="Certificates",
        example={"lines": [{"line": 1, "quantity": 50}], "valid_until": "2027-01-31"}),
    "certificates_api.for_licence": Operation("The certificates issued under a licence", None,
                                              r.CertificatePage, tag="Certificates",
                                              query=PAGED),
    "certificates_api.get": Operation("A certificate, its status and what is left of it",
                                      None, r.CertificateDetail, tag="Certificates"),
    "certificates_api.download:qr.png": Operation("The QR code as PNG", media="image/png",
                                                  tag="Certificates"),
    "certificates_api.download:qr.svg": Operation("The QR code as SVG",
                                                  media="image/svg+xml", tag="Certificates"),
    "certificates_api.download:certificate.pdf": Operation(
        "The printable certificate with its QR code", media="application/pdf",
        tag="Certificates"),
    "certificates_api.revoke": Operation(
        "Revoke a certificate", CertificateRevocation, r.CertificateDetail, tag="Certificates",
        example={"reason": "Consignee found re-exporting to a third country.",
                 "reason_code": "diversion_suspected"}),
    "certificates_api.schema": Operation("The JSON Schema of the certificate content",
                                         media="application/schema+json",
                                         tag="Certificates"),
    # Customs
    "customs_api.verify": Operation(
        "Verify a certificate's QR payload", VerifyRequest, r.VerificationAnswer,
        tag="Customs", example={"payload": "EUC1:NCFOXN%TS3DH..."}),
    "customs_api.verify_image": Operation(
        "Verify a photo of a certificate's QR code", None, r.VerificationAnswer,
        multipart={"image": "a PNG or JPEG photo of the QR code, at most 8 MiB"},
        tag="Customs"),
    "customs_api.shipments": Operation(
        "Record a shipment against a certificate (idempotent with an Idempotency-Key)",
        ShipmentRequest, r.ShipmentRecorded, 201, idempotent_retry=True, tag="Customs",
        example={"border_post": "Port of Tema, Ghana",
                 "lines": [{"line": 1, "quantity": 20, "markings": ["BER-9-0001"]}]}),
    "customs_api.delivery": Operation(
        "Confirm delivery to the end user", DeliveryRequest, r.DeliveryRecorded, 201,
        tag="Customs",
        example={"received_at": "2026-03-01T10:00:00Z",
                 "lines": [{"line": 1, "quantity": 20}], "remarks": "Received intact."}),
    "customs_api.trace": Operation("Every shipment a marking (serial number) passed through",
                                   None, r.TracePage, tag="Customs", query=PAGED),
    "customs_api.overdue": Operation("Shipped certificates whose delivery is overdue", None,
                                     r.OverduePage, tag="Customs", query=PAGED),
    # Audit
    "audit_api.list_entries": Operation(
        "The audit log, newest first: who changed what, when and why", None, r.AuditPage,
        tag="Audit",
        query=(Query("subject_type", "what the entries are about",
                     {"type": "string", "enum": list(AUDIT_SUBJECT_TYPES)}),
               Query("subject_id", "the subject's id or number (a broker or licence id, a "
                     "certificate number, ...)", {"type": "string", "maxLength": 80}),
               Query("actor", "the account id of whoever acted; entries of the system and the "
                     "command line have none", {"type": "integer", "minimum": 1,
                                                "maximum": 2**31 - 1}),
               Query("action", "an audit action, e.g. `licence.issued`",
                     {"type": "string", "enum": [str(a) for a in AuditAction]}),
               Query("since", "entries at or after this RFC 3339 date-time (a bare date: from "
                     "its start, UTC)", {"type": "string", "format": "date-time"}),
               Query("until", "entries at or before this RFC 3339 date-time (a bare date: to "
                     "its end, UTC)", {"type": "string", "format": "date-time"}),
               *PAGED)),
    # Screening: the denied-parties list
    "screening_api.list_parties": Operation(
        "The denied-parties list: the UN Consolidated List and the national list", None,
        r.DeniedPartyPage, tag="Screening",
        query=(Query("source", "`un` or `authority` (the national list)",
                     {"type": "string", "enum": ["un", "authority"]}), *PAGED)),
    "screening_api.get_party": Operation("One entry of the denied-parties list, with the "
                                         "grounds of a national listing", None,
                                         r.DeniedPartyEntry, tag="Screening"),
    "screening_api.edit_party": Operation(
        "Correct a national-list entry (name, aliases, countries, grounds) with a reason; UN "
        "entries change only by import (409)", NationalEntryEdit, r.DeniedPartyEntry,
        tag="Screening", example={"aliases": ["FAE SpA"], "reason": "Trading name added."}),
    "screening_api.remove_party": Operation(
        "Remove a national-list entry with a reason (kept in the audit log)", RemovalReason,
        r.DeniedPartyRemoved, tag="Screening",
        example={"reason": "Listed in error: the supplier was cleared."}),
    # Keys, revocations, the document itself
    "keys_api.trust_list": Operation("The trust list: root and document signer certificates",
                                     None, r.TrustList, not_modified=True, tag="Keys"),
    "revocations_api.revocations": Operation(
        "The signed revocation list (COSE_Sign1; `?format=json` for people)", None,
        r.RevocationListJson, media="application/cose", not_modified=True, tag="Keys",
        query=(Query("since", "the changes after this sequence number (a delta); below the "
                              "newest full list's sequence, and 0, that full list itself",
                     {"type": "integer", "minimum": 0}),
               Query("format", "`cose` (default) or `json`",
                     {"type": "string", "enum": ["cose", "json"]}))),
    # Federation (docs/spec/federation.md)
    "federation_api.partners": Operation(
        "The authorities this registry trusts, signed by its document signer (COSE_Sign1)",
        media="application/cose", not_modified=True, tag="Federation"),
    "federation_api.authorities": Operation("The trusted foreign authorities and the "
                                            "freshness of their lists", tag="Federation"),
    "federation_api.add_authority": Operation(
        "Preview a partner by its address (no fingerprint), or trust it once the root's "
        "SHA-256 fingerprint received out of band matches", AuthorityRequest, status=201,
        tag="Federation", example={"base_url": "https://registry.partner.example",
                                   "fingerprint": "3f9a…64 hexadecimal digits"}),
    **{f"federation_api.change_authority:{action}": Operation(
        f"{action.capitalize()} a foreign authority (audited, effective at once)",
        ReasonRequest, tag="Federation", example=REASON_EXAMPLE)
       for action in ("suspend", "reinstate", "remove")},
    "federation_api.trust_bundle": Operation(
        "Every trusted root with its lists, for the in-browser verifier", tag="Federation"),
    "federation_api.ship_abroad": Operation(
        "Record a shipment against a partner's certificate; its issuer is sent a signed "
        "notice", AbroadShipmentRequest, status=201, tag="Federation"),
    "federation_api.reported_markings": Operation(
        "Every crossing of a marking (serial number) that partners reported against this "
        "registry's certificates", query=PAGED, tag="Federation"),
    "federation_api.receive_notice": Operation(
        "A partner's signed shipment notice (application/cose): 201 recorded, 200 already "
        "recorded", status=201, also=(403,), tag="Federation"),
    "openapi.spec": Operation("This document", media="application/json", tag="Meta"),
    # The specification, owned by the project, and its test vectors
    "spec.document:euc-qr.md": Operation(
        "The EUC1 specification: the QR payload, trust list, revocation list, verification "
        "and its reason codes (Markdown)", media="text/markdown", not_modified=True,
        tag="Specification"),
    "spec.document:api.md": Operation("The JSON API's specification (Markdown)",
                                      media="text/markdown", not_modified=True,
                                      tag="Specification"),
    "spec.document:federation.md": Operation(
        "Federation between registries: metadata, verification by issuer, shipment notices "
        "(Markdown)", media="text/markdown", not_modified=True, tag="Specification"),
    "spec.vectors": Operation(
        "The test vectors' index: every vector's inputs and the answer it requires",
        media="application/json", not_modified=True, tag="Specification"),
    "spec.vector_file": Operation(
        "A file the vectors' index names: the root (`.der`), a trust list (`.json`), a "
        "revocation list (`.cose`)", media="application/octet-stream", not_modified=True,
        tag="Specification"),
}
