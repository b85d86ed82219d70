#!/usr/bin/env bash
# `make demo`: the product with demo data on the embedded defaults (SQLite file and file-system
# job queue under var/), a worker with its periodic scheduler, and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export ONCOPARCOURS_DEBUG=${ONCOPARCOURS_DEBUG:-true}
export ONCOPARCOURS_DEMO=true
export ONCOPARCOURS_HTTPS=false
export ONCOPARCOURS_REQUIRE_2FA=${ONCOPARCOURS_REQUIRE_2FA:-false}
export ONCOPARCOURS_SECRET_KEY=${ONCOPARCOURS_SECRET_KEY:-demo-only-$(hostname)-not-for-production}
export ONCOPARCOURS_EXPORT_PEPPER=${ONCOPARCOURS_EXPORT_PEPPER:-demo-only-$(hostname)-export-pepper}
export ONCOPARCOURS_EMAIL_BACKEND=${ONCOPARCOURS_EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}
export DJANGO_SETTINGS_MODULE=config.settings.base
PORT=${PORT:-8000}
mkdir -p var/log

$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py load_geography
$BIN/python manage.py demo_load

# A worker and its periodic scheduler, as two processes like in production.
$BIN/celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
worker=$!
$BIN/celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule >var/log/beat.log 2>&1 &
beat=$!
trap 'kill $worker $beat 2>/dev/null || true' EXIT INT TERM

$BIN/python manage.py demo_accounts
echo
echo "OncoParcours : http://127.0.0.1:$PORT/  (jobs: var/log/worker.log and beat.log, e-mails: var/emails/)"
$BIN/python manage.py runserver "127.0.0.1:$PORT" --noreload
