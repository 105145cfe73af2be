# shellcheck shell=bash
# shellcheck disable=SC2034 # used by the scripts that source this file
# Shared by install-kiosk-session.sh and remove-kiosk-session.sh: the fixed
# list of paths the kiosk set-up owns, and small helpers that honour
# --root DIR (write under a fake root) and --dry-run (change nothing).

KIOSK_USER="vpr-kiosk"
KIOSK_HOME="/var/lib/vpr-kiosk"
KIOSK_DATA="$KIOSK_HOME/data"

P_RUNNER="/usr/lib/vpr-kiosk/vpr-kiosk-session"
P_DEFAULTS="/etc/default/vpr-kiosk"
P_UNIT="/etc/systemd/system/vpr-kiosk.service"
P_XSESSION="/usr/share/xsessions/vpr-kiosk.desktop"
P_LIGHTDM="/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf"
P_XORG="/etc/X11/xorg.conf.d/50-vpr-kiosk.conf"
P_STATE="/var/lib/vpr-kiosk-setup/state"

# Every file the set-up may write, and the folders it creates (removed when empty).
ALL_FILES=("$P_RUNNER" "$P_DEFAULTS" "$P_UNIT" "$P_XSESSION" "$P_LIGHTDM" "$P_XORG" "$P_STATE")
OWN_DIRS=("/usr/lib/vpr-kiosk" "/var/lib/vpr-kiosk-setup")

ROOT=""
DRY_RUN=0
CHANGES=0
# Folders this set-up created (recorded in the state file, removed when empty).
CREATED_DIRS=()

say() { printf '%s\n' "$*"; }
warn() { printf 'ВНИМАНИЕ: %s\n' "$*" >&2; }
die() {
    printf 'ОШИБКА: %s\n' "$*" >&2
    exit 1
}

# The path as seen by this run (under --root when given).
at() { printf '%s%s' "$ROOT" "$1"; }

real_system() { [ -z "$ROOT" ]; }

# Run a command, or only print it with --dry-run.
run() {
    if [ "$DRY_RUN" = 1 ]; then
        say "  [пробный запуск] $*"
    else
        "$@"
    fi
}

# systemd is running here (not inside a plain container, not under --root).
have_systemd() {
    real_system && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

# put_file PATH MODE: write stdin to PATH when its content differs.
put_file() {
    local dest mode content
    dest="$(at "$1")"
    mode="$2"
    content="$(cat)"
    if [ -f "$dest" ] && [ "$(cat "$dest")" = "$content" ]; then
        if [ "$DRY_RUN" = 0 ]; then chmod "$mode" "$dest"; fi
        say "  без изменений: $1"
        return 0
    fi
    CHANGES=$((CHANGES + 1))
    if [ "$DRY_RUN" = 1 ]; then
        say "  [пробный запуск] записать $1 (права $mode)"
        return 0
    fi
    make_dirs "$(dirname "$1")"
    local tmp="$dest.vpr-tmp.$$"
    printf '%s\n' "$content" >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
    say "  записан: $1"
}

# make_dirs DIR: create DIR (under --root) and remember each folder created.
make_dirs() {
    local missing=() d="$1"
    while [ "$d" != / ] && [ ! -d "$(at "$d")" ]; do
        missing=("$d" "${missing[@]}")
        d="$(dirname "$d")"
    done
    for d in "${missing[@]}"; do
        mkdir "$(at "$d")"
        CREATED_DIRS+=("$d")
    done
}

# drop_file PATH: remove PATH when present.
drop_file() {
    local dest
    dest="$(at "$1")"
    if [ -e "$dest" ] || [ -L "$dest" ]; then
        CHANGES=$((CHANGES + 1))
        run rm -f "$dest"
        say "  удалён: $1"
    fi
}

# drop_empty_dirs DIR...: remove our folders when nothing else is in them,
# deepest first.
drop_empty_dirs() {
    local d
    for d in $(printf '%s\n' "$@" | awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2-); do
        if [ -d "$(at "$d")" ] && [ -z "$(ls -A "$(at "$d")")" ]; then
            run rmdir "$(at "$d")"
            say "  удалена папка: $d"
        fi
    done
}

need_root() {
    if real_system && [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
        die "запустите от имени root (sudo $0 …) или укажите --root ПАПКА / --dry-run"
    fi
}
