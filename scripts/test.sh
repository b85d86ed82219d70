#!/usr/bin/env bash
# Every test suite of OncoParcours. `make test` runs `scripts/test.sh all`; .ci/run calls `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export ONCOPARCOURS_SECRET_KEY=test-only-not-secret
export DJANGO_SETTINGS_MODULE=config.settings.test
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/oncoparcours}
AMQP_URL=${TEST_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672//}
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

lint() {
  step "ruff"
  $BIN/ruff check .
  $BIN/ruff format --check .
  step "mypy"
  $BIN/mypy .
  step "migrations are up to date"
  $BIN/python manage.py makemigrations --check --dry-run
}

sqlite() {
  step "test suite on SQLite"
  DATABASE_URL=sqlite:///:memory: $BIN/pytest -n 2 -m "not browser and not queue" -q
}

postgres() {
  step "test suite on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $BIN/pytest -n 2 -m "not browser and not queue" -q
}

queue() {
  step "job queue: real worker on the embedded file-system broker (SQLite)"
  local qdir
  qdir=$(mktemp -d)
  DATABASE_URL=sqlite:///$qdir/queue.sqlite3 ONCOPARCOURS_VAR_DIR=$qdir CELERY_BROKER_URL=filesystem:// \
    $BIN/pytest -m queue -q -p no:xdist
  step "job queue: real worker on RabbitMQ ($AMQP_URL) with PostgreSQL"
  DATABASE_URL=$PG_URL CELERY_BROKER_URL=$AMQP_URL $BIN/pytest -m queue -q -p no:xdist
}

browser() {
  step "browser tests in Chromium ($CHROMIUM)"
  if [ ! -x "$CHROMIUM" ]; then
    echo "Chromium not found at $CHROMIUM: install Debian's package (apt-get install chromium)." >&2
    exit 1
  fi
  DJANGO_ALLOW_ASYNC_UNSAFE=true CHROMIUM_PATH=$CHROMIUM DATABASE_URL=$PG_URL \
    $BIN/pytest -m browser -q -p no:xdist --liveserver=127.0.0.1
}

case "${1:-all}" in
  lint) lint ;;
  sqlite) sqlite ;;
  postgres) postgres ;;
  queue) queue ;;
  browser) browser ;;
  all) lint; sqlite; postgres; queue; browser ;;
  *) echo "usage: $0 [all|lint|sqlite|postgres|queue|browser]" >&2; exit 2 ;;
esac
