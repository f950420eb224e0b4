#!/usr/bin/env bash
# Installs ghcr-doctor for the composite action (action.yml), in seconds when it can.
#
# Which binary:
#   - the `version` input (X.Y.Z or vX.Y.Z), else the ref the action was used at when that ref
#     is a release tag (`uses: OWNER/ghcr-doctor@v1.0.0`): that release's archive for the
#     runner's OS and architecture, exactly as `dist` names it, from
#     https://github.com/OWNER/REPO/releases/download/vX.Y.Z/ghcr-doctor-TARGET.tar.gz (.zip on
#     Windows). Its `.sha256` is checked before anything is unpacked; the unpacked archive is
#     moved into RUNNER_TOOL_CACHE/ghcr-doctor/X.Y.Z/ARCH/ in one rename (then ARCH.complete is
#     written, as @actions/tool-cache does), so a failure at any point leaves nothing installed
#     and a later job on the same runner finds it cached.
#   - a ref that is not a release tag (a branch, a commit SHA, `uses: ./`), or a tag whose
#     release does not exist: built from the action's own source with `cargo install --locked`.
#
# Environment (set by action.yml; all but RUNNER_* may be empty):
#   GHCR_DOCTOR_VERSION             the `version` input
#   GHCR_DOCTOR_ACTION_REF          ${{ github.action_ref }}; else GITHUB_ACTION_REF; else the
#                                   last component of the action's checkout path (_actions/O/R/REF)
#   GHCR_DOCTOR_ACTION_REPOSITORY   ${{ github.action_repository }}; else GITHUB_ACTION_REPOSITORY;
#                                   else the checkout path; else Cargo.toml's `repository`
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP, GITHUB_ACTION_PATH, GITHUB_OUTPUT
#   GHCR_DOCTOR_RELEASE_BASE_URL    for tests: replaces https://github.com in download URLs;
#                                   accepted only for http://127.x.x.x, http://localhost, http://[::1]
#
# Output: `path` (the ready binary), `version` and `source` (cache, release or cargo) in
# GITHUB_OUTPUT. Exit codes: 0 ready; 1 a download, verification or build failed (nothing
# installed); 2 a bad input or an unsupported platform.
#
# Runs under the bash of every GitHub-hosted runner, including macOS's bash 3.2 and Git Bash.
set -euo pipefail

readonly TOOL=ghcr-doctor
readonly SUPPORTED="Linux X64, Linux ARM64, macOS X64, macOS ARM64, Windows X64"

say() { printf '%s: %s\n' "$TOOL" "$*"; }
fail() {
  local code=$1
  shift
  printf '::error title=%s install::%s\n' "$TOOL" "$*"
  exit "$code"
}

# Milliseconds since the epoch (bash 5's EPOCHREALTIME where there is one, else whole seconds).
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t=${EPOCHREALTIME/,/.}
    local frac="${t#*.}000"
    printf '%s%s\n' "${t%.*}" "${frac:0:3}"
  else
    printf '%s000\n' "$(date +%s)"
  fi
}
START_MS=$(now_ms)
readonly START_MS
elapsed() {
  local ms=$(($(now_ms) - START_MS))
  printf '%d.%03ds' $((ms / 1000)) $((ms % 1000))
}

# A Windows path (C:\x) as Git Bash sees it.
unix_path() {
  if [ -n "$1" ] && command -v cygpath > /dev/null 2>&1; then cygpath -u "$1"; else printf '%s\n' "$1"; fi
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; fi
}

ready() {
  local bin=$1 version=$2 source=$3
  local shown
  shown=$("$bin" --version 2>&1) || fail 1 "$bin does not run: $shown"
  output path "$bin"
  output version "$version"
  output source "$source"
  say "$shown ready at $bin ($source) in $(elapsed)"
}

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=$(cd "$script_dir/.." && pwd)
readonly SOURCE_DIR
action_path=$(unix_path "${GITHUB_ACTION_PATH:-}")
action_path=${action_path//\\//}

# ---- which version ------------------------------------------------------------------------

ref=${GHCR_DOCTOR_ACTION_REF:-${GITHUB_ACTION_REF:-}}
repo=${GHCR_DOCTOR_ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}
case "$action_path" in
  */_actions/*/*/*)
    # The runner checks a remote action out at _actions/OWNER/REPO/REF.
    rest=${action_path##*/_actions/}
    path_owner=${rest%%/*}
    rest=${rest#*/}
    path_repo=${rest%%/*}
    path_ref=${rest#*/}
    if [ -z "$ref" ]; then ref=$path_ref; fi
    if [ -z "$repo" ]; then repo="$path_owner/$path_repo"; fi
    ;;
esac
if [ -z "$repo" ] && [ -f "$SOURCE_DIR/Cargo.toml" ]; then
  repo=$(sed -n 's|^repository = "https://github.com/\([^"]*\)".*|\1|p' "$SOURCE_DIR/Cargo.toml" | head -n 1)
fi

semver='[0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*(-[0-9A-Za-z.-]+)?'
requested=${GHCR_DOCTOR_VERSION:-}
version=
from_input=false
if [ -n "$requested" ]; then
  if ! printf '%s\n' "$requested" | grep -Eq "^v?$semver\$"; then
    fail 2 "the version input must be a release version such as 1.0.0 or v1.0.0, not '$requested'"
  fi
  version=${requested#v}
  from_input=true
elif printf '%s\n' "$ref" | grep -Eq "^v$semver\$"; then
  version=${ref#v}
fi

# ---- building from source -----------------------------------------------------------------

build_from_source() {
  local why=$1
  local root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
  root="$(unix_path "$root")/$TOOL"
  local bin="$root/bin/$TOOL"
  if [ "${RUNNER_OS:-}" = Windows ]; then bin="$bin.exe"; fi
  if [ -x "$bin" ]; then
    say "$why; using the build from earlier in this job at $bin"
    ready "$bin" source cargo
    return
  fi
  say "$why, so there is no prebuilt binary to download: building ghcr-doctor from source with"
  say "  cargo install --locked --path $SOURCE_DIR --root $root"
  say "This compiles ghcr-doctor and its dependencies and takes a few minutes (no --quiet: cargo shows its progress)."
  local example_version
  example_version=$(sed -n 's/^version = "\([^"]*\)".*/\1/p' "$SOURCE_DIR/Cargo.toml" 2> /dev/null | head -n 1)
  say "Pin a release tag (uses: ${repo:-OWNER/ghcr-doctor}@v${example_version:-X.Y.Z}) or set the action's version input to install in seconds."
  if ! command -v cargo > /dev/null 2>&1; then
    fail 1 "cargo is not on PATH: install a Rust toolchain before this step, or use a release tag of the action"
  fi
  cargo install --locked --path "$SOURCE_DIR" --root "$root" || fail 1 "cargo install failed (see its output above)"
  [ -x "$bin" ] || fail 1 "cargo install reported success but $bin is missing"
  ready "$bin" source cargo
}

if [ -z "$version" ]; then
  if [ -z "$ref" ]; then
    build_from_source "the action is used from a local path or its ref is unknown"
  else
    build_from_source "the ref '$ref' is not a release tag (vX.Y.Z)"
  fi
  exit 0
fi

# ---- the release archive for this runner --------------------------------------------------

os=${RUNNER_OS:-}
arch=${RUNNER_ARCH:-}
exe=$TOOL
ext=.tar.gz
case "$os/$arch" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64)
    target=x86_64-pc-windows-msvc
    exe=$TOOL.exe
    ext=.zip
    ;;
  *) fail 2 "no ghcr-doctor release is built for RUNNER_OS='$os' RUNNER_ARCH='$arch'; releases exist for: $SUPPORTED. Use a branch ref of the action to build from source instead." ;;
esac
archive="$TOOL-$target$ext"
cache_arch=$(printf '%s' "$arch" | tr '[:upper:]' '[:lower:]')

[ -n "${RUNNER_TOOL_CACHE:-}" ] || fail 2 "RUNNER_TOOL_CACHE is not set (is this a GitHub Actions runner?)"
tool_cache=$(unix_path "$RUNNER_TOOL_CACHE")
cache_dir="$tool_cache/$TOOL/$version"
dest="$cache_dir/$cache_arch"
if [ -f "$dest.complete" ] && [ -x "$dest/$exe" ]; then
  say "found ghcr-doctor $version in the tool cache"
  ready "$dest/$exe" "$version" cache
  exit 0
fi

origin=https://github.com
proto='=https'
if [ -n "${GHCR_DOCTOR_RELEASE_BASE_URL:-}" ]; then
  if ! printf '%s\n' "$GHCR_DOCTOR_RELEASE_BASE_URL" |
    grep -Eq '^http://(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost|\[::1\])(:[0-9]+)?(/.*)?$'; then
    fail 2 "GHCR_DOCTOR_RELEASE_BASE_URL is only for tests and must be http://127.0.0.1, http://localhost or http://[::1] (with an optional port), not '$GHCR_DOCTOR_RELEASE_BASE_URL'"
  fi
  origin=${GHCR_DOCTOR_RELEASE_BASE_URL%/}
  proto='=http'
fi
printf '%s\n' "$repo" | grep -Eq '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' ||
  fail 2 "cannot tell which repository the action comes from (got '$repo')"
release_url="$origin/$repo/releases/download/v$version"

command -v curl > /dev/null 2>&1 || fail 1 "curl is needed to download ghcr-doctor $version"
command -v tar > /dev/null 2>&1 || fail 1 "tar is needed to unpack ghcr-doctor $version"

temp_root=$(unix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")
work=$(mktemp -d "$temp_root/$TOOL-install.XXXXXX")
stage=
cleanup() {
  rm -rf "$work"
  if [ -n "$stage" ]; then rm -rf "$stage"; fi
}
trap cleanup EXIT

# Downloads $1 to $2 and prints the final HTTP status (000 when there was none).
download() {
  local status
  status=$(curl --silent --show-error --fail --location --proto "$proto" --proto-redir "$proto" \
    --retry 3 --connect-timeout 10 --max-time 300 --output "$2" --write-out '%{http_code}' "$1") || {
    local rc=$?
    printf '%s\n' "${status:-000}"
    return $rc
  }
  printf '%s\n' "$status"
}

say "downloading ghcr-doctor $version for $os $arch: $release_url/$archive"
rc=0
status=$(download "$release_url/$archive" "$work/$archive") || rc=$?
if [ "$rc" -ne 0 ]; then
  if [ "$status" = 404 ] && [ "$from_input" = false ]; then
    build_from_source "the ref '$ref' has no release with $archive ($release_url/$archive answered 404)"
    exit 0
  elif [ "$status" = 404 ]; then
    fail 1 "there is no release v$version of $repo with $archive ($release_url/$archive answered 404); nothing was installed"
  fi
  fail 1 "downloading $release_url/$archive failed (curl exit code $rc, HTTP status $status); nothing was installed"
fi
rc=0
status=$(download "$release_url/$archive.sha256" "$work/$archive.sha256") || rc=$?
if [ "$rc" -ne 0 ]; then
  fail 1 "downloading the checksum $release_url/$archive.sha256 failed (curl exit code $rc, HTTP status $status): the archive cannot be verified, so nothing was installed"
fi

# ---- verify, then unpack ------------------------------------------------------------------

expected=$(sed -n '1s/^\([0-9A-Fa-f]*\).*/\1/p' "$work/$archive.sha256" | tr '[:upper:]' '[:lower:]')
[ "${#expected}" -eq 64 ] || fail 1 "$archive.sha256 does not hold a sha256 checksum; nothing was installed"
if command -v sha256sum > /dev/null 2>&1; then
  actual=$(sha256sum "$work/$archive")
elif command -v shasum > /dev/null 2>&1; then
  actual=$(shasum -a 256 "$work/$archive")
else
  actual=$(openssl dgst -sha256 -r "$work/$archive")
fi
actual=${actual%% *}
if [ "$actual" != "$expected" ]; then
  fail 1 "checksum mismatch for $archive: $archive.sha256 says $expected but the download has $actual; nothing was installed"
fi
say "sha256 verified: $actual"

mkdir "$work/unpacked"
case "$ext" in
  .tar.gz) tar -xzf "$work/$archive" -C "$work/unpacked" || fail 1 "unpacking $archive failed; nothing was installed" ;;
  .zip)
    if command -v unzip > /dev/null 2>&1; then
      unzip -q "$work/$archive" -d "$work/unpacked" || fail 1 "unpacking $archive failed; nothing was installed"
    else
      powershell -NoProfile -NonInteractive -Command \
        "Expand-Archive -LiteralPath '$(cygpath -w "$work/$archive")' -DestinationPath '$(cygpath -w "$work/unpacked")'" ||
        fail 1 "unpacking $archive failed; nothing was installed"
    fi
    ;;
esac
# dist puts a tarball's files under a directory named like the archive, a zip's at its root.
content="$work/unpacked/$TOOL-$target"
[ -d "$content" ] || content="$work/unpacked"
[ -f "$content/$exe" ] || fail 1 "$archive has no $exe; nothing was installed"
chmod +x "$content/$exe"
"$content/$exe" --version > /dev/null 2>&1 || fail 1 "the downloaded $exe does not run on this runner; nothing was installed"

# ---- into the tool cache, atomically ------------------------------------------------------

mkdir -p "$cache_dir"
stage=$(mktemp -d "$cache_dir/.$cache_arch.XXXXXX")
cp -R "$content/." "$stage/"
if [ -f "$dest.complete" ] && [ -x "$dest/$exe" ]; then
  say "another job installed ghcr-doctor $version into the tool cache meanwhile; using that one"
  ready "$dest/$exe" "$version" cache
  exit 0
fi
rm -rf "$dest"
mv "$stage" "$dest"
stage=
: > "$dest.complete"
ready "$dest/$exe" "$version" release
