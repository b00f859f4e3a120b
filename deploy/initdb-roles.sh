#!/bin/sh
# Run by the postgres image on the first start of an empty volume (docker-entrypoint-initdb.d):
# the group roles of migration 029 and the `bursard` login, a member of bursar_worker, with the
# password of the worker_password secret. psql's :'var' quoting keeps the password a literal.
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
     -v worker_password="$(cat /run/secrets/worker_password)" <<'SQL'
CREATE ROLE bursar_owner NOLOGIN;
CREATE ROLE bursar_worker NOLOGIN;
CREATE ROLE bursar_officer NOLOGIN;
CREATE ROLE bursard LOGIN IN ROLE bursar_worker PASSWORD :'worker_password';
SQL
