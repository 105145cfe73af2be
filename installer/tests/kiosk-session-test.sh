#!/usr/bin/env bash
# Tests of the kiosk session set-up (installer/kiosk):
#   1. into a temporary fake root (--root): dry run, install both session
#      kinds, idempotence, switching, data kept on removal, clean removal;
#   2. the session runner with a fake app: restarts after crashes, ends on a
#      clean exit, passes the settings;
#   3. on the real system when run as root (skip with --no-real-system):
#      creates the kiosk user, validates the session files
#      (desktop-file-validate, systemd-analyze verify when available),
#      removes everything and checks nothing is left.
# Needs: bash, coreutils; optional: shellcheck, desktop-file-validate
# (desktop-file-utils), systemd-analyze.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KIOSK="$HERE/../kiosk"
INSTALL="$KIOSK/install-kiosk-session.sh"
REMOVE="$KIOSK/remove-kiosk-session.sh"
REAL=1
[ "${1:-}" = --no-real-system ] && REAL=0

PASS=0
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}
ok() {
    PASS=$((PASS + 1))
    printf 'ok   %s\n' "$*"
}
contains() { grep -qF -- "$2" "$1" || fail "$1 does not contain: $2"; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# --- 0. static checks -------------------------------------------------------
if command -v shellcheck >/dev/null 2>&1; then
    shellcheck -x "$KIOSK"/*.sh "$KIOSK/vpr-kiosk-session" "$0"
    ok "shellcheck"
else
    printf 'skip shellcheck (not installed)\n'
fi

validate_desktop() {
    if command -v desktop-file-validate >/dev/null 2>&1; then
        desktop-file-validate "$1" || fail "desktop-file-validate $1"
        ok "desktop-file-validate $(basename "$1")"
    else
        printf 'skip desktop-file-validate (desktop-file-utils not installed)\n'
    fi
}

verify_unit() {
    if command -v systemd-analyze >/dev/null 2>&1; then
        local copy="$WORK/unit/vpr-kiosk.service"
        mkdir -p "$WORK/unit"
        # Without cage installed, check the unit's syntax with a stand-in command.
        if [ -x /usr/bin/cage ]; then cp "$1" "$copy"; else sed 's#^ExecStart=/usr/bin/cage#ExecStart=/bin/true#' "$1" >"$copy"; fi
        systemd-analyze verify "$copy" || fail "systemd-analyze verify $1"
        ok "systemd-analyze verify vpr-kiosk.service"
    else
        printf 'skip systemd-analyze verify (not installed)\n'
    fi
}

# --- 1. fake root -----------------------------------------------------------
R="$WORK/root"
mkdir -p "$R"
"$INSTALL" --root "$R" --session lightdm --dry-run >"$WORK/out" 2>&1
[ -z "$(find "$R" -mindepth 1)" ] || fail "--dry-run wrote files"
contains "$WORK/out" "пробный запуск"
ok "dry run changes nothing"

"$INSTALL" --root "$R" --session lightdm >"$WORK/out" 2>&1
contains "$R/etc/X11/xorg.conf.d/50-vpr-kiosk.conf" '"DontVTSwitch" "true"'
contains "$R/etc/X11/xorg.conf.d/50-vpr-kiosk.conf" '"DontZap" "true"'
contains "$R/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf" "autologin-user=vpr-kiosk"
contains "$R/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf" "autologin-session=vpr-kiosk"
contains "$R/usr/share/xsessions/vpr-kiosk.desktop" "Exec=/usr/lib/vpr-kiosk/vpr-kiosk-session"
contains "$R/etc/default/vpr-kiosk" "VPR_APP=/usr/bin/vpr-app"
[ -x "$R/usr/lib/vpr-kiosk/vpr-kiosk-session" ] || fail "runner not executable"
[ ! -e "$R/etc/systemd/system/vpr-kiosk.service" ] || fail "cage unit written in lightdm mode"
validate_desktop "$R/usr/share/xsessions/vpr-kiosk.desktop"
ok "lightdm session installed into a fake root"

sums() { find "$R" -type f -exec sha256sum {} + | sort; }
before="$(sums)"
"$INSTALL" --root "$R" --session lightdm >"$WORK/out" 2>&1
contains "$WORK/out" "Изменений нет"
[ "$before" = "$(sums)" ] || fail "second install changed files"
ok "install is idempotent"

"$INSTALL" --root "$R" --session cage --app /opt/vpr/vpr-app >"$WORK/out" 2>&1
U="$R/etc/systemd/system/vpr-kiosk.service"
contains "$U" "User=vpr-kiosk"
contains "$U" "PAMName=login"
contains "$U" "Restart=on-failure"
contains "$U" "ExecStart=/usr/bin/cage -d -- /usr/lib/vpr-kiosk/vpr-kiosk-session"
if grep -q '^ExecStart=.*cage.* -s' "$U"; then fail "cage started with VT switching (-s)"; fi
contains "$R/etc/default/vpr-kiosk" "VPR_APP=/opt/vpr/vpr-app"
for f in /usr/share/xsessions/vpr-kiosk.desktop /etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf /etc/X11/xorg.conf.d/50-vpr-kiosk.conf; do
    [ ! -e "$R$f" ] || fail "$f left after switching to cage"
done
verify_unit "$U"
ok "switching to the cage session replaces the LightDM files"

# Results in the data folder survive removal unless --purge.
echo '{"work":1}' >"$R/var/lib/vpr-kiosk/data/results.json"
"$REMOVE" --root "$R" >"$WORK/out" 2>&1
[ -f "$R/var/lib/vpr-kiosk/data/results.json" ] || fail "removal deleted the station's data"
[ "$(find "$R" -type f)" = "$R/var/lib/vpr-kiosk/data/results.json" ] || fail "files left: $(find "$R" -type f)"
ok "removal keeps the station's data"
"$INSTALL" --root "$R" --session cage >/dev/null 2>&1
"$REMOVE" --root "$R" --purge >"$WORK/out" 2>&1
[ -z "$(find "$R" -mindepth 1)" ] || fail "left after --purge: $(find "$R" -mindepth 1)"
"$REMOVE" --root "$R" >"$WORK/out" 2>&1
contains "$WORK/out" "Изменений нет"
ok "removal with --purge leaves the fake root empty; removal is idempotent"

# --- 2. the session runner ---------------------------------------------------
APP="$WORK/fake-app"
COUNT="$WORK/count"
cat >"$APP" <<APPEOF
#!/bin/sh
n=\$(( \$(cat "$COUNT" 2>/dev/null || echo 0) + 1 ))
echo "\$n" > "$COUNT"
echo "\$VPR_DATA_DIR \$VPR_KIOSK" > "$WORK/env"
# Crash twice (as a crash would: non-zero), then exit cleanly (organizer PIN).
[ "\$n" -ge 3 ] && exit 0
exit 3
APPEOF
chmod +x "$APP"
printf 'VPR_APP=%s\nVPR_DATA_DIR=%s\n' "$APP" "$WORK/data" >"$WORK/defaults"
VPR_KIOSK_DEFAULTS="$WORK/defaults" VPR_KIOSK_RESTART_DELAY=0 DISPLAY='' \
    timeout 30 "$KIOSK/vpr-kiosk-session" 2>"$WORK/runner.log" || fail "runner did not end cleanly: $(cat "$WORK/runner.log")"
[ "$(cat "$COUNT")" = 3 ] || fail "app ran $(cat "$COUNT") times, expected 3"
[ "$(cat "$WORK/env")" = "$WORK/data 1" ] || fail "settings not passed: $(cat "$WORK/env")"
[ "$(grep -c 'перезапуск' "$WORK/runner.log")" = 2 ] || fail "expected two restarts: $(cat "$WORK/runner.log")"
ok "runner restarts the app after crashes and ends on a clean exit"

# --- 3. the real system ------------------------------------------------------
if [ "$REAL" = 0 ] || [ "$(id -u)" != 0 ]; then
    printf 'skip real-system test (%s)\n' "$([ "$REAL" = 0 ] && echo --no-real-system || echo 'not root')"
    printf 'PASS %d checks\n' "$PASS"
    exit 0
fi
if getent passwd vpr-kiosk >/dev/null; then
    fail "user vpr-kiosk already exists here: remove it (remove-kiosk-session.sh) before the test"
fi
WATCH=(/etc/lightdm /etc/X11/xorg.conf.d /usr/share/xsessions /usr/lib/vpr-kiosk /var/lib/vpr-kiosk /var/lib/vpr-kiosk-setup /etc/default/vpr-kiosk /etc/systemd/system/vpr-kiosk.service)
snapshot() {
    sha256sum /etc/passwd /etc/group /etc/shadow /etc/gshadow 2>/dev/null
    for p in "${WATCH[@]}"; do
        if [ -e "$p" ]; then find "$p" -exec ls -ld --time-style=+ {} + 2>/dev/null | sort; else echo "absent $p"; fi
    done
}
snapshot >"$WORK/before"
cleanup_real() { "$REMOVE" --purge >/dev/null 2>&1 || true; }
trap 'cleanup_real; rm -rf "$WORK"' EXIT

"$INSTALL" --session lightdm >"$WORK/out" 2>&1 || fail "real install: $(cat "$WORK/out")"
getent passwd vpr-kiosk >/dev/null || fail "user not created"
[ "$(getent passwd vpr-kiosk | cut -d: -f6)" = /var/lib/vpr-kiosk ] || fail "home folder"
[ "$(passwd -S vpr-kiosk | awk '{print $2}')" = L ] || fail "password login not locked"
[ "$(id -u vpr-kiosk)" -lt 1000 ] || fail "kiosk user is not a system user"
if id -nG vpr-kiosk | tr ' ' '\n' | grep -qxE 'sudo|wheel|adm|root'; then fail "kiosk user is privileged"; fi
[ "$(stat -c '%U %a' /var/lib/vpr-kiosk/data)" = "vpr-kiosk 700" ] || fail "data folder owner/mode"
validate_desktop /usr/share/xsessions/vpr-kiosk.desktop
ok "real install: unprivileged locked user vpr-kiosk and the LightDM session"
"$INSTALL" --session lightdm >"$WORK/out" 2>&1
contains "$WORK/out" "Изменений нет"
ok "real install is idempotent"
"$INSTALL" --session cage >"$WORK/out" 2>&1 || fail "real install (cage): $(cat "$WORK/out")"
verify_unit /etc/systemd/system/vpr-kiosk.service
"$REMOVE" >"$WORK/out" 2>&1 || fail "real removal: $(cat "$WORK/out")"
getent passwd vpr-kiosk >/dev/null && fail "user left"
getent group vpr-kiosk >/dev/null && fail "group left"
snapshot >"$WORK/after"
diff -u "$WORK/before" "$WORK/after" || fail "the system is not as it was before the install"
ok "real removal leaves the system as it was"
printf 'PASS %d checks\n' "$PASS"
