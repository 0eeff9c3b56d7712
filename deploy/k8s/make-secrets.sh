#!/bin/sh
# Prints the kubectl commands that load a network's material into the cluster:
#   - ConfigMap civic-network: network.json, config.json, genesis.block (public);
#   - Secret civic-id-<identity> (cert.pem, key.pem) for each identity a pod runs as;
#   - Secret civic-postgres with random database passwords (the superuser's and one per peer and
#     domain service database), only when it does not exist yet (the databases keep the
#     passwords they were created with).
# Nothing is applied here and no key is ever written into this repository:
#
#   deploy/k8s/make-secrets.sh dev-net          # review
#   deploy/k8s/make-secrets.sh dev-net | sh     # apply (kubectl with access to the cluster)
#
# dev-net is a folder written by `civic network init --out dev-net`. The CA keys, admin and user
# identities stay out of the cluster. deploy/k8s/placeholders/ shows the objects' shape.
# Usage: make-secrets.sh NETWORK_DIR [NAMESPACE]   (namespace default: civic)
set -eu

# The identities the workloads of deploy/k8s run as (tools/deploy-check checks this list
# against the manifests and the placeholders).
IDENTITIES="orderer1 orderer2 orderer3 rvo-peer utrecht-peer
rvo-subsidies utrecht-subsidies amsterdam-subsidies
utrecht-parking amsterdam-parking assessor-parking police-parking
ilt-transport rdw-transport police-transport haulier-transport"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 NETWORK_DIR [NAMESPACE]" >&2
  exit 2
fi
namespace="${2:-civic}"
case "$namespace" in
  *[!a-z0-9-]* | "") echo "make-secrets: namespace '$namespace' must be [a-z0-9-]+" >&2; exit 2 ;;
esac
if [ ! -d "$1" ]; then
  echo "make-secrets: $1 is not a folder (write one with: civic network init --out $1)" >&2
  exit 1
fi
dir="$(cd "$1" && pwd)"
for file in network.json config.json genesis.block; do
  if [ ! -f "$dir/$file" ]; then
    echo "make-secrets: $dir/$file is missing: not a network folder of civic network init" >&2
    exit 1
  fi
done

# Single-quotes a word for sh.
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
apply="--dry-run=client -o yaml | kubectl apply -f -"

echo "# kubectl commands for the network in $dir (namespace $namespace)"
echo "set -e"
echo "kubectl create namespace $namespace $apply"
echo "kubectl -n $namespace create configmap civic-network" \
  "--from-file=network.json=$(quote "$dir/network.json")" \
  "--from-file=config.json=$(quote "$dir/config.json")" \
  "--from-file=genesis.block=$(quote "$dir/genesis.block") $apply"

for identity in $IDENTITIES; do
  found=""
  for candidate in "$dir"/orgs/*/identities/"$identity"; do
    [ -f "$candidate/cert.pem" ] && [ -f "$candidate/key.pem" ] && found="$candidate"
  done
  if [ -z "$found" ]; then
    echo "make-secrets: no identity $identity (cert.pem and key.pem) under $dir/orgs/*/identities/" >&2
    exit 1
  fi
  echo "kubectl -n $namespace create secret generic civic-id-$identity" \
    "--from-file=cert.pem=$(quote "$found/cert.pem")" \
    "--from-file=key.pem=$(quote "$found/key.pem") $apply"
done

# Random passwords, evaluated by the shell that runs these commands (never printed here): the
# superuser's, and one per database (each identity except the orderers', which keep no database).
password='"$(head -c 24 /dev/urandom | base64 | tr -d "/+=")"'
literals="--from-literal=POSTGRES_PASSWORD=$password"
for identity in $IDENTITIES; do
  case "$identity" in orderer*) continue ;; esac
  key="$(echo "$identity" | tr '[:lower:]-' '[:upper:]_')_PASSWORD"
  literals="$literals --from-literal=$key=$password"
done
echo "kubectl -n $namespace get secret civic-postgres >/dev/null 2>&1 ||" \
  "kubectl -n $namespace create secret generic civic-postgres $literals"
