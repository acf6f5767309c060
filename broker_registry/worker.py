"""`broker-registry worker`: the registry's background work, on APScheduler.

Each job is a small function that calls one domain service in an app context of its own. The
work needs no queue (nothing is handed over by the web processes: every job finds its work
in the database), only "every so often, one run at a time", which APScheduler 3 does inside
this one process with nothing else to run: no message broker and no job tables, so the
embedded SQLite default and PostgreSQL are served alike. Several workers, on several
machines, may run at once: each job is kept safe from its twins by the database (the lock
or claim its service describes), never by the scheduler.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import db
from .brokers.notices import notice_expiring_registrations as notice_registrations
from .cli import Command
from .customs.notices import remind_overdue_deliveries as remind_deliveries
from .db.columns import utcnow
from .federation import notices as federation_notices
from .federation.refresh import UNCHANGED, refresh_all
from .keys.authority import authority, key_store
from .keys.service import rotate_if_expiring
from .notifications.outbox import send_pending
from .revocations import publishing
from .revocations import service as revocations

log = logging.getLogger("broker_registry.worker")
PUBLICATIONS_PER_RUN = 10  # back to back while changes keep coming; then the next tick
# The jobs' first runs, one after another in the order of jobs(), not all seven at once: on
# SQLite, a burst of them at start-up (twice over when two workers start together) queued
# every writer, the web's included, behind each other for the one write lock.
FIRST_RUNS_APART = timedelta(seconds=0.5)


@dataclass(frozen=True)
class Job:
    name: str
    every: float  # seconds
    run: Callable[[], object]  # called in an app context


def publish_revocations() -> None:
    """Sign the full revocation list when it is due, again while changes arrived meanwhile."""
    session, lag = db.session(), current_app.config["SETTINGS"].publish_lag
    for _ in range(PUBLICATIONS_PER_RUN):
        published = publishing.publish_if_due(
            session, store=key_store(), authority=authority().code,
            starting=lambda n, why: log.info("publishing the full revocation list at "
                                             "sequence %s: %s", n, why))
        if published is None:
            break
        log.info("published the full revocation list at sequence %s (edition %s, %s entries, "
                 "%s bytes), signed by %s", published.sequence, published.edition,
                 published.entries, published.size, published.kid.hex())
    with db.intent(write=False):
        behind = revocations.unpublished_since(session, revocations.newest_published(session))
        session.rollback()
    if behind is not None and (utcnow() - behind).total_seconds() > lag:
        log.warning("the full revocation list is %.0f s behind the registry (more than "
                    "BROKER_REGISTRY_PUBLISH_LAG, %s s)", (utcnow() - behind).total_seconds(),
                    lag)


def send_outbox() -> None:
    settings = current_app.config["SETTINGS"]
    if settings.outgoing_mail:
        result = send_pending(db.session(), smtp_url=settings.outgoing_mail,
                              sender=settings.mail_sender, batch=20)
        if result.sent or result.failed:
            log.info("outbox: sent %s, failed %s", result.sent, result.failed)


def notice_expiring_registrations() -> None:
    settings, session = current_app.config["SETTINGS"], db.session()
    with db.exclusive(db.get_db().engine, "broker_registry.notices") as held:
        if held:
            sent = notice_registrations(session, window_days=settings.renewal_window_days,
                                        now=utcnow(), mail=bool(settings.smtp_url))
            if sent:
                log.info("told %s broker(s) that their registration expires soon", sent)


def remind_overdue_deliveries() -> None:
    settings, session = current_app.config["SETTINGS"], db.session()
    with db.exclusive(db.get_db().engine, "broker_registry.notices") as held:
        if held:
            newly = remind_deliveries(session, days=settings.delivery_overdue_days, now=utcnow(),
                                      mail=bool(settings.smtp_url))
            session.commit()
            if newly:
                log.info("reminded the regulators of %s overdue deliveries", newly)


def renew_the_signer() -> None:
    """A new signer a month before the active one's certificate ends, so that no certificate
    or list is ever signed by a DSC past its notAfter."""
    session = db.session()
    with db.exclusive(db.get_db().engine, "broker_registry.keys") as held:
        if held:
            renewed = rotate_if_expiring(session, key_store(), authority(), now=datetime.now(UTC))
            session.commit()
            if renewed is not None:
                log.warning("the active signer's certificate was ending: signer %s took over",
                            renewed.kid)


def refresh_partners() -> None:
    """Each foreign authority's trust list and revocation list, verified under its root."""
    with db.exclusive(db.get_db().engine, "broker_registry.federation.refresh") as held:
        if held:
            for outcome in refresh_all(db.session()):
                if not outcome.ok:
                    log.warning("partner %s: %s", outcome.code, outcome.what)
                elif outcome.what != UNCHANGED:
                    log.info("partner %s: %s", outcome.code, outcome.what)


def send_shipment_notices() -> None:
    """Shipment notices to the issuing registries, until each acknowledges its own."""
    with db.exclusive(db.get_db().engine, "broker_registry.federation.notices") as held:
        if held:
            sent, failed = federation_notices.send_due(db.session())
            if sent or failed:
                log.info("shipment notices: %s acknowledged, %s to try again", sent, failed)


def jobs(publish_lag: float, federation_refresh: float = 60.0) -> list[Job]:
    return [
        # A look at the list's heads costs three indexed reads: every second, so a change is
        # usually published within a second or two, and always well within the lag.
        Job("publish the revocation list", min(1.0, publish_lag / 2), publish_revocations),
        Job("send the outbox", 10, send_outbox),
        Job("registration expiry notices", 3600, notice_expiring_registrations),
        Job("overdue delivery reminders", 3600, remind_overdue_deliveries),
        Job("signer renewal", 3600, renew_the_signer),
        Job("refresh the partners' lists", federation_refresh, refresh_partners),
        Job("send shipment notices", min(5.0, federation_refresh), send_shipment_notices),
    ]


def _in_context(app: Flask, job: Job) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            job.run()

    return run


def scheduler_for(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(4)}, timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
    settings = app.config["SETTINGS"]
    start = datetime.now(UTC)
    for n, job in enumerate(jobs(settings.publish_lag, settings.federation_refresh)):
        scheduler.add_job(_in_context(app, job), "interval", seconds=job.every, name=job.name,
                          id=job.name, next_run_time=start + n * FIRST_RUNS_APART)
    return scheduler


class _Skips(logging.Filter):
    """A tick that finds its job still running (a long publication) is expected, not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


@click.command("worker", cls=Command)
@with_appcontext
def worker_command():
    """Run the background work: publish the revocation list, send the outbox, notices."""
    app = current_app._get_current_object()
    logging.getLogger("apscheduler.scheduler").addFilter(_Skips())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = scheduler_for(app)
    # Ctrl-C (SIGINT) and SIGTERM stop it, even when it was started with SIGINT ignored (as
    # a shell does for a job it starts in the background, and Python then keeps it ignored).
    # The handler only says so: an exception raised wherever the signal lands would be
    # swallowed there (APScheduler logs one raised while it submits a job, and runs on).
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stopping.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stopping.set())
    try:  # from "worker started" on, a stop always ends with "worker stopped"
        log.info("worker started: %s", "; ".join(
            f"{job.name} every {job.every:g} s" for job in jobs(
                app.config["SETTINGS"].publish_lag, app.config["SETTINGS"].federation_refresh)))
        scheduler.start()
        while not stopping.wait(0.5):
            pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)  # a publication under way is finished, not cut
        log.info("worker stopped")
