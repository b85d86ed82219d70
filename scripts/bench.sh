#!/usr/bin/env bash
# Benchmarks print figures; they are never part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var/bench
echo "== SQLite"
DATABASE_URL=sqlite:///$PWD/var/bench/bench.sqlite3 $BIN/python bench/commune_search.py
PG_URL=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/oncoparcours_bench}
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='oncoparcours_bench'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE oncoparcours_bench"
  echo "== PostgreSQL"
  DATABASE_URL=$PG_URL $BIN/python bench/commune_search.py
  echo "== PostgreSQL: pathways and REST (loads 100,000 pathways once; then measures only)"
  DATABASE_URL=$PG_URL $BIN/python bench/pathways.py "$@"
  DIRECTORY_URL=${BENCH_DIRECTORY_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/oncoparcours_bench_directory}
  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='oncoparcours_bench_directory'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE oncoparcours_bench_directory"
  echo "== PostgreSQL: directory search (loads 10,000 offers once; then measures only)"
  DATABASE_URL=$DIRECTORY_URL $BIN/python bench/directory.py
fi
