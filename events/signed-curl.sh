#!/usr/bin/env bash
# Send a signed request to bemtevi with curl and openssl, the way a POS plug-in would.
#   events/signed-curl.sh KEY_ID SECRET METHOD URL [BODY_FILE]
#   events/signed-curl.sh bk_... bs_... GET http://127.0.0.1:8000/v1/me
# Signature: hex HMAC-SHA256(secret, timestamp + "." + raw body), sent as "v1=<hex>".
set -euo pipefail
key_id=$1 secret=$2 method=$3 url=$4 body_file=${5:-/dev/null}
timestamp=$(date +%s)
signature=$({ printf '%s.' "$timestamp"; cat "$body_file"; } \
  | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
exec curl --silent --show-error --request "$method" "$url" \
  --header "Content-Type: application/json" \
  --header "X-Bemtevi-Key: $key_id" \
  --header "X-Bemtevi-Timestamp: $timestamp" \
  --header "X-Bemtevi-Signature: v1=$signature" \
  --data-binary "@$body_file" --write-out '\n%{http_code}\n'
