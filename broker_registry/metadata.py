"""Every table of the registry, imported so that SQLModel's metadata knows them all: for
migrations' autogenerate (scripts/make_migration.py) and the test holding migrations to models."""

from .accounts.models import Account, ApiToken, PendingSignUp, SignIn  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .brokers.models import Broker  # noqa: F401
from .certificates.models import Certificate, CertificateLine, Rendering  # noqa: F401
from .customs.models import Delivery, Marking, Shipment  # noqa: F401
from .db.counters import Counter  # noqa: F401
from .federation.models import (  # noqa: F401
    ForeignAuthority,
    OutgoingNotice,
    ReceivedMarking,
    ReceivedNotice,
)
from .keys.models import SignerKey  # noqa: F401
from .licences.models import Licence, LicenceFinding, LicenceLine  # noqa: F401
from .notifications.models import NoticeSent, Notification, OutboxMessage  # noqa: F401
from .revocations.models import (  # noqa: F401
    ListedCertificate,
    RevocationEntry,
    RevocationSnapshot,
)
from .screening.models import DeniedParty, EmbargoEntry  # noqa: F401
from .web.submissions import FormSubmission  # noqa: F401
