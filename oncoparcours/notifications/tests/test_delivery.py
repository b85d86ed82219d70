import logging
import smtplib
import uuid
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from oncoparcours.notifications.backends import (
    ConsoleSmsBackend,
    FileSmsBackend,
    OutgoingMessage,
    sms_channel,
)
from oncoparcours.notifications.models import DeliveryStatus, Notification
from oncoparcours.notifications.services import notification_send
from oncoparcours.notifications.tasks import MAX_RETRIES, deliver_notification

pytestmark = pytest.mark.django_db

ACCEPTED = {
    "prescriber_name": "Dr Claire Martin",
    "patient_initials": "M. D.",
    "prescription_date": date(2026, 11, 2),
    "structure_name": "Association Après-Cancer Lyon",
    "structure_phone": "04 72 00 00 00",
    "pathway_reference": "PSG-2026-0042",
}
BOOKED = {
    "patient_first_name": "Marie",
    "act_label": "Bilan diététique",
    "starts_at": datetime(2026, 12, 3, 13, 30, tzinfo=UTC),
    "by_video": False,
    "place": "12 rue de la République, Lyon",
    "professional_name": "Mme Sophie Bernard, diététicienne",
    "structure_name": "Association Après-Cancer Lyon",
    "structure_phone": "04 72 00 00 00",
}
PHONE = "06 12 34 56 78"


@pytest.fixture
def worker_like_retries():
    """The test settings propagate eager errors (a bug fails the test loudly); a worker does not
    propagate Celery's Retry, it runs the retry: so do eager jobs here."""
    conf = deliver_notification.app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = previous


def _send_email(**overrides):
    fields = {
        "channel": "email",
        "recipient_kind": "prescriber",
        "recipient": "claire.martin@exemple.fr",
        "template": "prescription_accepted",
        "context": ACCEPTED,
        "related_public_id": uuid.uuid4(),
    }
    return notification_send(**{**fields, **overrides})


def test_an_email_is_delivered_through_the_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send_email()
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["claire.martin@exemple.fr"]
    assert sent.subject == "OncoParcours — prescription de parcours acceptée"
    assert "Le parcours est suivi par Association Après-Cancer Lyon" in sent.body
    assert "02/11/2026" in sent.body
    assert "&#x27;" not in sent.body  # plain text, not HTML-escaped


def test_nothing_is_queued_before_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = _send_email()
    assert len(callbacks) == 1
    assert notification.status == DeliveryStatus.QUEUED
    assert mail.outbox == []


def test_nothing_is_sent_when_the_surrounding_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _send_email()
                raise RuntimeError("the prescription could not be saved")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_transport_error_is_retried_then_delivered(
    django_capture_on_commit_callbacks, worker_like_retries
):
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] < 3:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, messages)

    with (
        mock.patch.object(EmailBackend, "send_messages", flaky),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = _send_email()
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert notification.attempts == 3
    assert notification.last_error == ""
    assert len(mail.outbox) == 1


def test_the_notification_fails_after_the_last_retry(
    django_capture_on_commit_callbacks, caplog, worker_like_retries
):
    with (
        mock.patch.object(
            EmailBackend, "send_messages", side_effect=smtplib.SMTPConnectError(421, "busy")
        ),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.INFO),
    ):
        notification = _send_email()
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.FAILED
    assert notification.attempts == MAX_RETRIES + 1
    assert notification.last_error == "smtp.SMTPConnectError"
    assert notification.sent_at is None
    assert "claire.martin" not in caplog.text


def test_a_refused_address_fails_without_retrying(django_capture_on_commit_callbacks):
    refused = smtplib.SMTPRecipientsRefused({"x@exemple.fr": (550, b"no such user")})
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = _send_email()
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.FAILED
    assert notification.attempts == 1
    assert notification.last_error == "smtp.recipient_refused"


def test_a_delivered_notification_is_never_sent_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send_email()
    assert deliver_notification.delay(str(notification.public_id)).get() == "skipped"
    assert len(mail.outbox) == 1


def test_the_console_sms_backend_logs_neither_the_number_nor_the_text(
    django_capture_on_commit_callbacks, caplog, settings
):
    settings.ONCOPARCOURS_SMS_BACKEND = "console"
    with (
        caplog.at_level(logging.DEBUG),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notification_send(
            channel="sms",
            recipient_kind="patient",
            recipient=PHONE,
            template="act_booked",
            context=BOOKED,
        )
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert notification.recipient_ref == "0612345678"
    logged = caplog.text
    assert f"length={len(notification.body)}" in logged
    assert str(notification.public_id) in logged
    for secret in ("0612345678", "06 12 34 56 78", "612345678", "Marie", "diététique", "Bernard"):
        assert secret not in logged


def test_the_act_booked_sms_says_when_where_and_with_whom():
    notification = notification_send(
        channel="sms",
        recipient_kind="patient",
        recipient=PHONE,
        template="act_booked",
        context=BOOKED,
    )
    # 13:30 UTC is 14:30 in Lyon in December.
    assert "Bilan diététique le 03/12/2026 à 14h30 avec Mme Sophie Bernard" in notification.body
    assert "12 rue de la République, Lyon" in notification.body
    video = notification_send(
        channel="sms",
        recipient_kind="patient",
        recipient=PHONE,
        template="act_booked",
        context={**BOOKED, "by_video": True},
    )
    assert "en visioconférence" in video.body
    assert "République" not in video.body


def test_the_refusal_lists_every_reason():
    notification = _send_email(
        template="prescription_refused",
        context={
            **ACCEPTED,
            "reasons": [
                {"code": "PSG-01", "message": "Le patient n'est pas en ALD au titre d'un cancer."},
                {
                    "code": "PSG-03",
                    "message": "Prescription plus de 12 mois après la fin du traitement.",
                },
            ],
        },
    )
    assert "pour les raisons suivantes" in notification.body
    assert "- Le patient n'est pas en ALD au titre d'un cancer. (PSG-01)" in notification.body
    assert "(PSG-03)" in notification.body
    assert notification.subject == "OncoParcours — prescription de parcours non retenue"


def test_the_uncovered_territory_alert_names_the_place_not_the_person():
    notification = _send_email(
        recipient_kind="dsrc",
        recipient="alertes@oncoaura.fr",
        template="uncovered_territory",
        context={
            "commune_name": "Aurillac",
            "commune_insee": "15014",
            "department_name": "Cantal",
            "age_group": "Adulte",
            "received_on": date(2026, 11, 20),
            "uncovered_count": 3,
            "pathway_reference": "PSG-2026-0099",
        },
    )
    assert notification.subject == "OncoParcours — territoire non couvert : Aurillac (15014)"
    assert "C'est le 3e cas pour cette commune" in notification.body


def test_the_file_sms_backend_writes_the_message_under_var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.ONCOPARCOURS_SMS_BACKEND = "file"
    backend = sms_channel()
    assert isinstance(backend, FileSmsBackend)
    result = backend.send(OutgoingMessage("ref-1", "0612345678", "", "Bonjour"))
    assert result.ok
    (written,) = (tmp_path / "sms").iterdir()
    assert "0612345678" in written.read_text()


def test_the_console_backend_is_the_default(settings):
    assert settings.ONCOPARCOURS_SMS_BACKEND == "console"
    assert isinstance(sms_channel(), ConsoleSmsBackend)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"recipient": "pas-une-adresse"}, "notification.email.invalid"),
        ({"channel": "sms", "recipient": "12345"}, "notification.phone.invalid"),
        ({"template": "inconnu"}, "notification.template.unknown"),
        ({"channel": "pigeon"}, "notification.channel.unknown"),
        ({"recipient_kind": "voisin"}, "notification.recipient_kind.unknown"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(fields, code):
    with pytest.raises(ValidationError) as exc:
        _send_email(**fields)
    assert code in {e.code for errors in exc.value.error_dict.values() for e in errors}
    assert not Notification.objects.exists()
