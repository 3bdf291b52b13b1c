#!/usr/bin/env bash
# Send a signed request to bemtevi with curl and openssl, the way a POS plug-in would.
#   events/signed-curl.sh KEY_ID SECRET METHOD URL [BODY_FILE]
#   events/signed-curl.sh bk_... bs_... GET http://127.0.0.1:8000/v1/me
#   events/signed-curl.sh bk_... bs_... GET 'http://127.0.0.1:8000/v1/metrics?from=2026-01'
# Signature (scheme v2): hex HMAC-SHA256(secret, string to sign), sent as "v2=<hex>", where
# the string to sign is these six lines joined by "\n":
#   v2, timestamp, METHOD, path from /v1 on (no stage prefix), the query's name=value pairs
#   sorted by name then value and joined by &, hex SHA-256 of the raw body.
# Path segments, query names and values are percent-encoded per RFC 3986 (%XX upper case
# for every byte but A-Z a-z 0-9 - _ . ~). Send a space in the query as %20, never as +.
set -euo pipefail
key_id=$1 secret=$2 method=${3^^} url=$4 body_file=${5:-/dev/null}

# Percent-encode every byte of $1 but the unreserved ones.
encode() {
  local LC_ALL=C string=$1 encoded='' character index
  for ((index = 0; index < ${#string}; index++)); do
    character=${string:index:1}
    case $character in
      [A-Za-z0-9._~-]) encoded+=$character ;;
      *) encoded+=$(printf '%%%02X' "'$character") ;;
    esac
  done
  printf '%s' "$encoded"
}

# Undo percent-encoding.
decode() {
  local string=${1//\\/\\\\}
  printf '%b' "${string//%/\\x}"
}

canonical_path() {
  local path=$1 segment canonical='' first=1
  local -a segments
  IFS=/ read -r -a segments <<<"$path/"
  for segment in "${segments[@]}"; do
    if ((first)); then first=0; else canonical+=/; fi
    canonical+=$(encode "$(decode "$segment")")
  done
  printf '%s' "$canonical"
}

canonical_query() {
  local query=$1 pair name value
  [[ -z $query ]] && return 0
  local -a pairs
  IFS='&' read -r -a pairs <<<"$query"
  for pair in "${pairs[@]}"; do
    [[ -z $pair ]] && continue
    name=${pair%%=*}
    if [[ $pair == *=* ]]; then value=${pair#*=}; else value=''; fi
    printf '%s=%s\n' "$(encode "$(decode "${name//+/ }")")" "$(encode "$(decode "${value//+/ }")")"
  done | LC_ALL=C sort -t= -k1,1 -k2,2 | paste -sd '&' -
}

target=${url#*://}
target=/${target#*/}
path=${target%%\?*}
query=''
[[ $target == *\?* ]] && query=${target#*\?}
[[ $path == */v1/* ]] && path=/v1/${path#*/v1/}
[[ $path == */v1 ]] && path=/v1

timestamp=$(date +%s)
body_hash=$(openssl dgst -sha256 -r <"$body_file" | cut -d' ' -f1)
signature=$(printf 'v2\n%s\n%s\n%s\n%s\n%s' "$timestamp" "$method" \
  "$(canonical_path "$path")" "$(canonical_query "$query")" "$body_hash" \
  | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
exec curl --silent --show-error --request "$method" "$url" \
  --header "Content-Type: application/json" \
  --header "X-Bemtevi-Key: $key_id" \
  --header "X-Bemtevi-Timestamp: $timestamp" \
  --header "X-Bemtevi-Signature: v2=$signature" \
  --data-binary "@$body_file" --write-out '\n%{http_code}\n'
