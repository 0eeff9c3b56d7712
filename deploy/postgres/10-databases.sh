#!/bin/sh
# Run once by the postgres image's entrypoint on an empty data directory
# (/docker-entrypoint-initdb.d). One login role and one database of the same name for each name
# in DATABASES: each peer keeps its chain and world state in its own, each domain service
# instance its organisation's private store; none can read or change another's. Passwords come
# from the environment, <NAME>_PASSWORD (e.g. RVO_PEER_PASSWORD); a missing one stops the init.
# The same script is in deploy/k8s/postgres.yaml (ConfigMap postgres-init): keep them equal
# (tools/deploy-check compares them).
set -eu

if [ -z "${DATABASES:-}" ]; then
  echo "DATABASES is not set: no database to create" >&2
  exit 1
fi

for name in $DATABASES; do
  case "$name" in
    *[!a-z0-9_]* | "") echo "database name '$name' must be [a-z0-9_]+" >&2; exit 1 ;;
  esac
  variable="$(echo "$name" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  password="$(printenv "$variable" || true)"
  if [ -z "$password" ]; then
    echo "$variable is not set: no password for the role $name" >&2
    exit 1
  fi
  # psql variables (:'password') quote the value; the name was checked above.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v password="$password" <<SQL
CREATE ROLE $name LOGIN PASSWORD :'password';
CREATE DATABASE $name OWNER $name;
REVOKE ALL ON DATABASE $name FROM PUBLIC;
SQL
  echo "created role and database $name"
done
