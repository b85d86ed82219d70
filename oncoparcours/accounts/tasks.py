from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    name="oncoparcours.accounts.tasks.send_email",
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def send_email(subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
