#!/usr/bin/env bash
# Upgrade Newsroom without ever serving new code on an old schema (docs/production.md).
#
#   deploy/upgrade.sh [REF]                  upgrade to REF (default origin/main)
#   deploy/upgrade.sh --maintenance [REF]    the same behind the maintenance page, for a
#                                            release with a migration marked "# breaking:"
#   deploy/upgrade.sh --rollback             serve the release before the current one again
#
# Run as root or as the service user (who then needs sudo for the two systemctl lines).
# Git, the install and manage.py always run as the service user, who owns the checkout:
# git refuses a repository owned by someone else ("dubious ownership").
#
# Layout under $NEWSROOM_HOME (/srv/newsroom): src/ (a clone), releases/<time>-<commit>/
# (one per upgrade, each with its own .venv), current and previous (symlinks to releases).
# Order: unpack and install the new release beside the running one, migrate (migrations
# are backward compatible: the running code works on the new schema), collectstatic,
# then switch `current` and reload: new workers load the new code on the new schema.
set -euo pipefail

HOME_DIR=${NEWSROOM_HOME:-/srv/newsroom}
SERVICE_USER=${NEWSROOM_USER:-newsroom}
PYTHON=${PYTHON:-/opt/python3.13/bin/python3.13}
ENV_FILES=${NEWSROOM_ENV_FILES:-/etc/newsroom/newsroom.env /etc/newsroom/this-machine.env}
SYSTEMCTL=${NEWSROOM_SYSTEMCTL:-systemctl}
KEEP_RELEASES=5

say() { echo "upgrade: $*" >&2; }

as_service() {  # run a command as the service user, at home (git's and pip's files)
  if [ "$(id -u)" = 0 ]; then runuser -u "$SERVICE_USER" -- env HOME="$HOME_DIR" "$@"
  else "$@"; fi
}

as_root() {  # run a systemctl line
  if [ "$(id -u)" = 0 ]; then $SYSTEMCTL "$@"; else sudo -n $SYSTEMCTL "$@"; fi
}

manage() {  # manage.py in a release, with the production environment
  local release=$1; shift
  as_service env -C "$release" sh -c 'for f in $0; do [ -r "$f" ] && { set -a; . "$f"; set +a; }; done
    exec .venv/bin/python manage.py "$@"' "$ENV_FILES" "$@"
}

switch() {  # point the symlink $1 at release $2, atomically
  as_service ln -sfn "$2" "$HOME_DIR/$1.new"
  as_service mv -T "$HOME_DIR/$1.new" "$HOME_DIR/$1"
}

restart_services() {  # reload web (restart if the dependencies changed), restart workers
  local old=$1 new=$2 mode=reload-or-restart  # starts it on the first install
  if [ -n "$old" ] && ! cmp -s "$old/constraints.txt" "$new/constraints.txt"; then
    mode=restart  # a reload keeps the old virtualenv in the running master
  fi
  as_root "$mode" newsroom-web
  as_root restart 'newsroom-worker@*'
}

breaking_migrations() {  # migrations new in $2 (not in $1) that are marked breaking
  local old=$1 new=$2
  (cd "$new" && find . -path '*/migrations/*.py' | sort) | while read -r file; do
    if [ ! -e "$old/$file" ] && grep -q '^# breaking:' "$new/$file"; then echo "$file"; fi
  done
}

rollback() {
  local previous current
  previous=$(readlink -f "$HOME_DIR/previous") || { say "no previous release"; exit 1; }
  current=$(readlink -f "$HOME_DIR/current")
  switch current "$previous"
  switch previous "$current"
  restart_services "$current" "$previous"
  say "serving $(basename "$previous") again; the schema stays as the newer release left it"
}

upgrade() {
  local maintenance=$1 ref=$2 current="" rev release found
  [ -e "$HOME_DIR/current" ] && current=$(readlink -f "$HOME_DIR/current")
  as_service git -C "$HOME_DIR/src" fetch --quiet --tags origin
  rev=$(as_service git -C "$HOME_DIR/src" rev-parse --verify "$ref^{commit}")
  release="$HOME_DIR/releases/$(date -u +%Y%m%d-%H%M%S)-${rev:0:12}"
  as_service mkdir -p "$release"
  as_service git -C "$HOME_DIR/src" archive "$rev" | as_service tar -x -C "$release"

  found=$([ -n "$current" ] && breaking_migrations "$current" "$release" || true)
  if [ -n "$found" ] && [ "$maintenance" = no ]; then
    as_service rm -rf "$release"
    say "refused: migrations marked breaking (the running code cannot use their schema):"
    say "$found"
    say "run again with --maintenance to serve the maintenance page while they apply"
    exit 2
  fi

  say "installing $(basename "$release")"
  as_service make -C "$release" --no-print-directory install-prod PYTHON="$PYTHON"
  [ "$maintenance" = yes ] && as_service touch "$HOME_DIR/maintenance"
  manage "$release" migrate --noinput
  manage "$release" collectstatic --noinput
  manage "$release" check
  [ -n "$current" ] && switch previous "$current"
  switch current "$release"
  restart_services "$current" "$release"
  [ "$maintenance" = yes ] && as_service rm -f "$HOME_DIR/maintenance"
  # Old releases beyond the last few go; current and previous are always among them.
  (cd "$HOME_DIR/releases" && ls -1d -- */ | sort | head -n -"$KEEP_RELEASES") |
    while read -r old; do
      old=$(readlink -f "$HOME_DIR/releases/$old")
      case "$old" in "$release" | "$current") ;; *) as_service rm -rf "$old" ;; esac
    done
  say "serving $(basename "$release")"
}

case "${1:-}" in
  --rollback) rollback ;;
  --maintenance) upgrade yes "${2:-origin/main}" ;;
  *) upgrade no "${1:-origin/main}" ;;
esac
