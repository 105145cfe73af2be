#!/usr/bin/env bash
# Tests of the kiosk session set-up (installer/kiosk):
#   1. into a temporary fake root (--root): dry run, install both session
#      kinds, each file they write (session, SysRq, logind, Ctrl+Alt+Del
#      mask, GRUB menu, greeter), the GRUB password warning, idempotence,
#      switching, data kept on removal, clean removal, and originals put
#      back byte for byte (content, mode, symlink target);
#   2. the session runner with a fake app: restarts after crashes, ends on a
#      clean exit, passes the settings, runs the app under the inhibitor lock
#      (and without it when the lock is refused);
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
lacks() { if grep -qF -- "$2" "$1"; then fail "$1 contains: $2"; fi; }

LOGIND_KEYS=(NAutoVTs=0 ReserveVT=0 HandlePowerKey=ignore HandlePowerKeyLongPress=ignore
    HandleRebootKey=ignore HandleRebootKeyLongPress=ignore HandleSuspendKey=ignore
    HandleSuspendKeyLongPress=ignore HandleHibernateKey=ignore HandleHibernateKeyLongPress=ignore
    HandleLidSwitch=ignore HandleLidSwitchExternalPower=ignore HandleLidSwitchDocked=ignore)

# check_os ROOT: the files around the session, written for both kinds.
check_os() {
    local r="$1" key
    [ "$(grep -v '^#' "$r/etc/sysctl.d/50-vpr-kiosk.conf")" = "kernel.sysrq = 16" ] || fail "sysctl: $(cat "$r/etc/sysctl.d/50-vpr-kiosk.conf")"
    contains "$r/etc/systemd/logind.conf.d/50-vpr-kiosk.conf" "[Login]"
    for key in "${LOGIND_KEYS[@]}"; do
        grep -qx -- "$key" "$r/etc/systemd/logind.conf.d/50-vpr-kiosk.conf" || fail "logind drop-in lacks $key"
    done
    # Every Handle*= key logind knows is set to ignore.
    if grep -E '^Handle[A-Za-z]*=' "$r/etc/systemd/logind.conf.d/50-vpr-kiosk.conf" | grep -qv '=ignore$'; then fail "a Handle key not ignored"; fi
    [ -L "$r/etc/systemd/system/ctrl-alt-del.target" ] || fail "ctrl-alt-del.target not masked"
    [ "$(readlink "$r/etc/systemd/system/ctrl-alt-del.target")" = /dev/null ] || fail "ctrl-alt-del.target → $(readlink "$r/etc/systemd/system/ctrl-alt-del.target")"
    if [ -e "$r/etc/default/grub" ]; then
        grep -qx 'GRUB_TIMEOUT_STYLE=hidden' "$r/etc/default/grub.d/50-vpr-kiosk.cfg" || fail "GRUB menu not hidden"
        grep -qx 'GRUB_TIMEOUT=0' "$r/etc/default/grub.d/50-vpr-kiosk.cfg" || fail "GRUB timeout"
    fi
}

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
for key in allow-guest=false greeter-allow-guest=false greeter-hide-users=true; do
    grep -qx "$key" "$R/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf" || fail "LightDM: $key"
done
check_os "$R"
[ ! -e "$R/etc/default/grub.d/50-vpr-kiosk.cfg" ] || fail "GRUB drop-in written without GRUB"
contains "$WORK/out" "GRUB не найден"
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
# shellcheck disable=SC2016 # the unit's own $SERVICE_RESULT, not ours
contains "$U" 'ExecStopPost=+/bin/sh -c '\''[ "$SERVICE_RESULT" = success ] && systemctl --no-block start getty@tty1.service'

contains "$U" "ExecStart=/usr/bin/cage -d -- /usr/lib/vpr-kiosk/vpr-kiosk-session"
if grep -q '^ExecStart=.*cage.* -s' "$U"; then fail "cage started with VT switching (-s)"; fi
contains "$R/etc/default/vpr-kiosk" "VPR_APP=/opt/vpr/vpr-app"
for f in /usr/share/xsessions/vpr-kiosk.desktop /etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf /etc/X11/xorg.conf.d/50-vpr-kiosk.conf; do
    [ ! -e "$R$f" ] || fail "$f left after switching to cage"
done
check_os "$R"
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

# Originals at the paths the set-up writes come back exactly after removal,
# also after switching between the session kinds; GRUB without a password
# gets a loud warning, with one none.
R2="$WORK/root2"
mkdir -p "$R2/etc/systemd/system" "$R2/etc/sysctl.d" "$R2/etc/systemd/logind.conf.d" \
    "$R2/etc/default/grub.d" "$R2/boot/grub" "$R2/etc/grub.d" "$R2/etc/lightdm/lightdm.conf.d"
printf 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\n' >"$R2/etc/default/grub"
printf 'menuentry "Debian" {\n  linux /vmlinuz\n}\n' >"$R2/boot/grub/grub.cfg"
ln -s /lib/systemd/system/reboot.target "$R2/etc/systemd/system/ctrl-alt-del.target"
printf 'kernel.sysrq = 1\n# the admin\x27s own, no newline at the end' >"$R2/etc/sysctl.d/50-vpr-kiosk.conf"
chmod 0640 "$R2/etc/sysctl.d/50-vpr-kiosk.conf"
printf '[Login]\nNAutoVTs=6\n\n\n' >"$R2/etc/systemd/logind.conf.d/50-vpr-kiosk.conf"
chmod 0600 "$R2/etc/systemd/logind.conf.d/50-vpr-kiosk.conf"
printf 'GRUB_TIMEOUT=3\n' >"$R2/etc/default/grub.d/50-vpr-kiosk.cfg"
printf '[Seat:*]\nuser-session=xfce\n' >"$R2/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf"
chmod 0444 "$R2/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf"
state2() {
    (cd "$R2" && find . -mindepth 1 -printf '%y %m %p -> %l\n' | sort && find . -type f -exec sha256sum {} + | sort)
}
state2 >"$WORK/r2-before"
"$INSTALL" --root "$R2" --session lightdm >"$WORK/out" 2>&1
check_os "$R2"
contains "$R2/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf" "autologin-user=vpr-kiosk"
contains "$WORK/out" "НЕТ ПАРОЛЯ"
contains "$WORK/out" "сохранён исходный файл: /etc/systemd/system/ctrl-alt-del.target"
"$INSTALL" --root "$R2" --session lightdm >"$WORK/out" 2>&1
contains "$WORK/out" "Изменений нет"
"$INSTALL" --root "$R2" --session cage >"$WORK/out" 2>&1
check_os "$R2"
[ "$(cat "$R2/etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf")" = "$(printf '[Seat:*]\nuser-session=xfce')" ] || fail "switching to cage did not restore the LightDM original"
"$REMOVE" --root "$R2" --purge >"$WORK/out" 2>&1
state2 >"$WORK/r2-after"
diff -u "$WORK/r2-before" "$WORK/r2-after" || fail "removal did not restore the originals exactly"
ok "the originals come back byte for byte (content, mode, symlink), also after switching"

printf 'set superusers="admin"\npassword_pbkdf2 admin grub.pbkdf2.sha512.10000.AB.CD\n' >"$R2/etc/grub.d/01_users"
"$INSTALL" --root "$R2" --session cage >"$WORK/out" 2>&1
lacks "$WORK/out" "НЕТ ПАРОЛЯ"
check_os "$R2"
"$REMOVE" --root "$R2" --purge >/dev/null 2>&1
rm "$R2/etc/grub.d/01_users"
state2 >"$WORK/r2-after"
diff -u "$WORK/r2-before" "$WORK/r2-after" || fail "second removal"
ok "GRUB: loud warning without a password, none with one"

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

# Under the inhibitor lock: a stand-in systemd-inhibit logs its arguments and runs the rest.
INHIBIT="$WORK/fake-inhibit"
cat >"$INHIBIT" <<INHEOF
#!/bin/sh
echo "\$*" >>"$WORK/inhibit.log"
[ -n "\${REFUSE:-}" ] && exit 1
while [ \$# -gt 0 ]; do case "\$1" in --*) shift ;; *) break ;; esac; done
exec "\$@"
INHEOF
chmod +x "$INHIBIT"
rm -f "$COUNT"
VPR_KIOSK_INHIBIT="$INHIBIT" VPR_KIOSK_DEFAULTS="$WORK/defaults" VPR_KIOSK_RESTART_DELAY=0 DISPLAY='' \
    timeout 30 "$KIOSK/vpr-kiosk-session" 2>"$WORK/runner.log" || fail "runner (inhibited): $(cat "$WORK/runner.log")"
[ "$(cat "$COUNT")" = 3 ] || fail "app ran $(cat "$COUNT") times under the lock, expected 3"
WHAT="--what=handle-power-key:handle-suspend-key:handle-hibernate-key:handle-lid-switch:sleep:idle"
[ "$(grep -cF -- "$WHAT --who=vpr-kiosk --why=Идёт работа ВПР --mode=block $APP" "$WORK/inhibit.log")" = 3 ] ||
    fail "the app did not run under the inhibitor lock each time: $(cat "$WORK/inhibit.log")"
rm -f "$COUNT" "$WORK/inhibit.log"
REFUSE=1 VPR_KIOSK_INHIBIT="$INHIBIT" VPR_KIOSK_DEFAULTS="$WORK/defaults" VPR_KIOSK_RESTART_DELAY=0 DISPLAY='' \
    timeout 30 "$KIOSK/vpr-kiosk-session" 2>"$WORK/runner.log" || fail "runner (lock refused): $(cat "$WORK/runner.log")"
[ "$(cat "$COUNT")" = 3 ] || fail "app ran $(cat "$COUNT") times without the lock, expected 3"
contains "$WORK/runner.log" "systemd-inhibit) недоступна"
ok "runner keeps the power, suspend and lid keys and sleep off with an inhibitor lock (runs without one when refused)"

# --- 3. the real system ------------------------------------------------------
if [ "$REAL" = 0 ] || [ "$(id -u)" != 0 ]; then
    printf 'skip real-system test (%s)\n' "$([ "$REAL" = 0 ] && echo --no-real-system || echo 'not root')"
    printf 'PASS %d checks\n' "$PASS"
    exit 0
fi
if getent passwd vpr-kiosk >/dev/null; then
    fail "user vpr-kiosk already exists here: remove it (remove-kiosk-session.sh) before the test"
fi
WATCH=(/etc/lightdm /etc/X11/xorg.conf.d /usr/share/xsessions /usr/lib/vpr-kiosk /var/lib/vpr-kiosk /var/lib/vpr-kiosk-setup /etc/default/vpr-kiosk /etc/systemd/system/vpr-kiosk.service
    /etc/sysctl.d /etc/systemd/logind.conf.d /etc/systemd/system/ctrl-alt-del.target /etc/default/grub.d /etc/default/grub)
snapshot() {
    sha256sum /etc/passwd /etc/group /etc/shadow /etc/gshadow 2>/dev/null
    for p in "${WATCH[@]}"; do
        if [ -e "$p" ] || [ -L "$p" ]; then
            find "$p" -exec ls -ld --time-style=+ {} + 2>/dev/null | sort
            find "$p" -type f -exec sha256sum {} + 2>/dev/null | sort
        else echo "absent $p"; fi
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
check_os ""
grep -qx "greeter-hide-users=true" /etc/lightdm/lightdm.conf.d/50-vpr-kiosk.conf || fail "greeter shows users"
ok "real install: unprivileged locked user vpr-kiosk and the LightDM session"
"$INSTALL" --session lightdm >"$WORK/out" 2>&1
contains "$WORK/out" "Изменений нет"
ok "real install is idempotent"
"$INSTALL" --session cage >"$WORK/out" 2>&1 || fail "real install (cage): $(cat "$WORK/out")"
check_os ""
verify_unit /etc/systemd/system/vpr-kiosk.service
"$REMOVE" >"$WORK/out" 2>&1 || fail "real removal: $(cat "$WORK/out")"
getent passwd vpr-kiosk >/dev/null && fail "user left"
getent group vpr-kiosk >/dev/null && fail "group left"
snapshot >"$WORK/after"
diff -u "$WORK/before" "$WORK/after" || fail "the system is not as it was before the install"
ok "real removal leaves the system as it was"
printf 'PASS %d checks\n' "$PASS"
