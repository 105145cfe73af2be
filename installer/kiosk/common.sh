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
P_SYSCTL="/etc/sysctl.d/50-vpr-kiosk.conf"
P_LOGIND="/etc/systemd/logind.conf.d/50-vpr-kiosk.conf"
P_CAD="/etc/systemd/system/ctrl-alt-del.target"
P_GRUB="/etc/default/grub.d/50-vpr-kiosk.cfg"
P_STATE="/var/lib/vpr-kiosk-setup/state"
# Originals of the files the set-up replaced, restored on removal.
BACKUP_DIR="/var/lib/vpr-kiosk-setup/backup"

# Every file the set-up may write, and the folders it creates (removed when empty).
SESSION_FILES=("$P_RUNNER" "$P_DEFAULTS" "$P_UNIT" "$P_XSESSION" "$P_LIGHTDM" "$P_XORG"
    "$P_SYSCTL" "$P_LOGIND" "$P_CAD" "$P_GRUB")
ALL_FILES=("${SESSION_FILES[@]}" "$P_STATE")
OWN_DIRS=("/usr/lib/vpr-kiosk" "/var/lib/vpr-kiosk-setup")

ROOT=""
DRY_RUN=0
# 1 when the recorded installation predates the backups of originals: every
# file at our paths is then ours.
LEGACY=0
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

# keep_original PATH: before the set-up first writes PATH, keep what was
# there (a copy with its mode and owner, a symlink as a symlink) or note that
# nothing was, so removal can put it back exactly.
keep_original() {
    local dest backup
    dest="$(at "$1")"
    backup="$(at "$BACKUP_DIR$1")"
    if [ -e "$backup" ] || [ -L "$backup" ] || [ -e "$backup.vpr-absent" ]; then return 0; fi
    make_dirs "$(dirname "$BACKUP_DIR$1")"
    if [ "$LEGACY" = 0 ] && { [ -e "$dest" ] || [ -L "$dest" ]; }; then
        cp -a "$dest" "$backup"
        say "  сохранён исходный файл: $1"
    else
        : >"$backup.vpr-absent"
    fi
}

# put_link PATH TARGET: make PATH a symlink to TARGET (e.g. masking a unit).
put_link() {
    local dest
    dest="$(at "$1")"
    if [ -L "$dest" ] && [ "$(readlink "$dest")" = "$2" ]; then
        say "  без изменений: $1"
        return 0
    fi
    CHANGES=$((CHANGES + 1))
    if [ "$DRY_RUN" = 1 ]; then
        say "  [пробный запуск] ссылка $1 → $2"
        return 0
    fi
    make_dirs "$(dirname "$1")"
    keep_original "$1"
    ln -sfn "$2" "$dest.vpr-tmp.$$"
    mv -Tf "$dest.vpr-tmp.$$" "$dest"
    say "  ссылка: $1 → $2"
}

# put_file PATH MODE: write stdin to PATH when its content differs.
put_file() {
    local dest mode content
    dest="$(at "$1")"
    mode="$2"
    content="$(cat)"
    if [ -f "$dest" ] && [ ! -L "$dest" ] && [ "$(cat "$dest")" = "$content" ]; then
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
    if [ "$1" != "$P_STATE" ]; then keep_original "$1"; fi
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

# drop_file PATH: take our PATH away and put back what was there before
# the set-up (byte for byte, with its mode), or nothing when nothing was.
drop_file() {
    local dest backup
    dest="$(at "$1")"
    backup="$(at "$BACKUP_DIR$1")"
    if [ -e "$backup" ] || [ -L "$backup" ]; then
        CHANGES=$((CHANGES + 1))
        run rm -f "$dest"
        run mv -Tf "$backup" "$dest"
        say "  восстановлен исходный файл: $1"
        return 0
    fi
    if [ -e "$backup.vpr-absent" ]; then
        run rm -f "$backup.vpr-absent"
    elif [ "$LEGACY" = 0 ] && [ "$1" != "$P_STATE" ]; then
        # Not written by this set-up (or already put back): not ours to remove.
        return 0
    fi
    if [ -e "$dest" ] || [ -L "$dest" ]; then
        CHANGES=$((CHANGES + 1))
        run rm -f "$dest"
        say "  удалён: $1"
    fi
}

# read_state: what an earlier run recorded (sets USER_CREATED, SYSRQ_BEFORE,
# LEGACY and CREATED_DIRS).
read_state() {
    local state dir
    state="$(at "$P_STATE")"
    USER_CREATED=0
    SYSRQ_BEFORE=""
    [ -f "$state" ] || return 0
    if grep -q '^USER_CREATED=1$' "$state"; then USER_CREATED=1; fi
    if ! grep -q '^BACKUPS=1$' "$state"; then LEGACY=1; fi
    SYSRQ_BEFORE="$(sed -n 's/^SYSRQ_BEFORE=//p' "$state")"
    while IFS= read -r dir; do CREATED_DIRS+=("$dir"); done < <(sed -n 's/^DIR=//p' "$state")
}

# grub_has_password: the boot loader asks for a password before its menu
# or its editor (a superuser with a password in its configuration).
grub_has_password() {
    local f files=()
    for f in "$(at /boot/grub/grub.cfg)" "$(at /boot/grub2/grub.cfg)" "$(at /etc/grub.d)"/*; do
        if [ -f "$f" ]; then files+=("$f"); fi
    done
    [ "${#files[@]}" -gt 0 ] || return 1
    grep -qE '^[[:space:]]*set[[:space:]]+superusers=' "${files[@]}" 2>/dev/null &&
        grep -qE '^[[:space:]]*password(_pbkdf2)?[[:space:]]' "${files[@]}" 2>/dev/null
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
