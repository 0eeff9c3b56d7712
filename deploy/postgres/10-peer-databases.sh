#!/bin/sh
# Run once by the postgres image's entrypoint on an empty data directory
# (/docker-entrypoint-initdb.d). One login role and one database per peer: a peer owns its own
# chain and world state and cannot read or change another peer's. Passwords come from the
# environment (<PEER>_PASSWORD, e.g. RVO_PEER_PASSWORD); a missing one stops the init.
# The same script is in deploy/k8s/postgres.yaml (ConfigMap postgres-init): keep them equal
# (tools/deploy-check's test compares them).
set -eu

PEER_DATABASES="${PEER_DATABASES:-rvo_peer utrecht_peer}"

for name in $PEER_DATABASES; do
  case "$name" in
    *[!a-z0-9_]* | "") echo "peer database name '$name' must be [a-z0-9_]+" >&2; exit 1 ;;
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
