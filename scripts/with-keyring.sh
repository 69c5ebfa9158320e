#!/bin/sh
# scripts/with-keyring.sh CMD [ARGS...]
# Runs CMD in a private D-Bus session with an unlocked gnome-keyring (a real Secret Service), under a
# throwaway $HOME, so keychain code can be tested on a headless machine. Needs dbus-run-session
# (dbus-daemon) and gnome-keyring: apt-get install dbus-daemon dbus-user-session gnome-keyring.
set -eu
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring.sh: $tool is not installed (apt-get install dbus-daemon dbus-user-session gnome-keyring)" >&2
    exit 127
  fi
done
HOME="$(mktemp -d)"
export HOME XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
trap 'rm -rf "$HOME"' EXIT
# One session for everything: a keyring unlocked outside the bus the command uses would lock again.
dbus-run-session -- sh -c '
  eval "$(printf %s with-keyring | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  "$@"' sh "$@"
