#!/usr/bin/env bash
# Set up the classroom kiosk session for the VPR station app (vpr-app):
# a dedicated unprivileged user logs in automatically into a session that
# runs only the app and restarts it after a crash; virtual-terminal switching
# and Ctrl+Alt+Backspace are off; leaving needs the organizer PIN (the app
# exits cleanly only after it). Idempotent: running it again changes nothing.
#
#   install-kiosk-session.sh [--session auto|cage|lightdm] [--app PATH] [--vt N]
#                            [--root DIR] [--dry-run]
#
#   cage     systemd service vpr-kiosk.service runs the Wayland kiosk
#            compositor cage on tty N as the kiosk user (cage forbids VT
#            switching unless started with -s).
#   lightdm  LightDM logs the kiosk user in automatically into an X session
#            with no window manager; Xorg gets DontVTSwitch and DontZap.
#   auto     cage when /usr/bin/cage exists, else lightdm when LightDM is
#            installed (the default).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/common.sh
. "$HERE/common.sh"

SESSION="auto"
APP="/usr/bin/vpr-app"
VT=1

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
    --session) SESSION="${2:?--session: auto, cage или lightdm}"; shift 2 ;;
    --app) APP="${2:?--app: путь к приложению}"; shift 2 ;;
    --vt) VT="${2:?--vt: номер терминала}"; shift 2 ;;
    --root) ROOT="${2:?--root: папка}"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "неизвестный параметр: $1 (см. --help)" ;;
    esac
done
case "$VT" in '' | *[!0-9]*) die "--vt: ожидается номер терминала, например 1" ;; esac
if [ -n "$ROOT" ]; then
    ROOT="$(cd "$ROOT" 2>/dev/null && pwd)" || die "--root: папка не существует"
fi
need_root

if [ "$SESSION" = auto ]; then
    if [ -x "$(at /usr/bin/cage)" ]; then
        SESSION=cage
    elif [ -x "$(at /usr/sbin/lightdm)" ]; then
        SESSION=lightdm
    else
        die "не найден ни cage, ни LightDM: установите один из них (apt install cage или apt install lightdm) или укажите --session"
    fi
fi
case "$SESSION" in
cage) [ -x "$(at /usr/bin/cage)" ] || warn "cage не установлен: apt install cage" ;;
lightdm) [ -x "$(at /usr/sbin/lightdm)" ] || warn "LightDM не установлен: apt install lightdm" ;;
*) die "--session: auto, cage или lightdm" ;;
esac
[ -x "$(at "$APP")" ] || warn "приложение $APP не найдено: сначала установите пакет vpr-app (.deb)"

say "Сеанс киоска ВПР: режим $SESSION, пользователь $KIOSK_USER${ROOT:+, корень $ROOT}"

# 1. The kiosk user: no password (locked), no sudo, its own home and data folder.
USER_CREATED=0
if [ -f "$(at "$P_STATE")" ]; then
    if grep -q '^USER_CREATED=1$' "$(at "$P_STATE")"; then USER_CREATED=1; fi
    while IFS= read -r dir; do CREATED_DIRS+=("$dir"); done < <(sed -n 's/^DIR=//p' "$(at "$P_STATE")")
fi
if real_system; then
    if getent passwd "$KIOSK_USER" >/dev/null; then
        say "  пользователь $KIOSK_USER уже есть"
    else
        CHANGES=$((CHANGES + 1))
        run useradd --system --user-group --create-home --home-dir "$KIOSK_HOME" \
            --shell /bin/bash --comment "VPR kiosk" "$KIOSK_USER"
        run usermod --lock "$KIOSK_USER"
        USER_CREATED=1
        say "  создан пользователь $KIOSK_USER (вход по паролю закрыт)"
    fi
    for group in audio video autologin; do
        if getent group "$group" >/dev/null && ! id -nG "$KIOSK_USER" 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then
            if getent passwd "$KIOSK_USER" >/dev/null || [ "$DRY_RUN" = 1 ]; then
                CHANGES=$((CHANGES + 1))
                run usermod -aG "$group" "$KIOSK_USER"
            fi
        fi
    done
    if [ ! -d "$KIOSK_DATA" ]; then
        CHANGES=$((CHANGES + 1))
        run install -d -m 0700 -o "$KIOSK_USER" -g "$KIOSK_USER" "$KIOSK_DATA"
    fi
else
    say "  (--root: пользователь $KIOSK_USER в системе не создаётся)"
    if [ "$DRY_RUN" = 0 ]; then make_dirs "$KIOSK_DATA"; fi
fi

# 2. Settings read by the session runner.
put_file "$P_DEFAULTS" 0644 <<CONF
# Сеанс киоска ВПР (installer/kiosk). Изменения применяются при следующем входе.
VPR_APP=$APP
VPR_DATA_DIR=$KIOSK_DATA
CONF

# 3. The runner: only the app, restarted after a crash, ended by a clean exit.
put_file "$P_RUNNER" 0755 <"$HERE/vpr-kiosk-session"

# 4. The session itself.
if [ "$SESSION" = cage ]; then
    drop_file "$P_XSESSION"
    drop_file "$P_LIGHTDM"
    drop_file "$P_XORG"
    put_file "$P_UNIT" 0644 <<UNIT
# Сеанс киоска ВПР: cage (Wayland) на tty$VT, только приложение vpr-app.
[Unit]
Description=VPR kiosk session (cage + vpr-app on tty$VT)
After=systemd-user-sessions.service plymouth-quit-wait.service getty@tty$VT.service
Conflicts=getty@tty$VT.service
ConditionPathExists=/dev/tty$VT

[Service]
Type=simple
User=$KIOSK_USER
PAMName=login
WorkingDirectory=~
TTYPath=/dev/tty$VT
TTYReset=yes
TTYVHangup=yes
TTYVTDisallocate=yes
StandardInput=tty-fail
StandardOutput=journal
StandardError=journal
UtmpIdentifier=tty$VT
UtmpMode=user
Environment=XDG_SESSION_TYPE=wayland
# cage без -s: переключение виртуальных терминалов запрещено.
ExecStart=/usr/bin/cage -d -- $P_RUNNER
# Сбой перезапускается; штатный выход (PIN организатора) завершает сеанс.
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
else
    drop_file "$P_UNIT"
    put_file "$P_XSESSION" 0644 <<DESKTOP
[Desktop Entry]
Type=Application
Name=VPR kiosk
Name[ru]=ВПР: киоск
Comment=Classroom station: only the VPR app, no window manager
Comment[ru]=Станция ВПР: только приложение, без оконного менеджера
Exec=$P_RUNNER
TryExec=$P_RUNNER
DESKTOP
    put_file "$P_LIGHTDM" 0644 <<LIGHTDM
# Сеанс киоска ВПР: автоматический вход пользователя $KIOSK_USER.
[Seat:*]
autologin-user=$KIOSK_USER
autologin-user-timeout=0
autologin-session=vpr-kiosk
LIGHTDM
    put_file "$P_XORG" 0644 <<XORG
# Сеанс киоска ВПР: без переключения терминалов и без Ctrl+Alt+Backspace.
Section "ServerFlags"
    Option "DontVTSwitch" "true"
    Option "DontZap" "true"
EndSection
XORG
fi

if [ "$DRY_RUN" = 0 ]; then make_dirs "$(dirname "$P_STATE")"; fi
put_file "$P_STATE" 0644 < <(
    printf 'SESSION=%s\nVT=%s\nUSER_CREATED=%s\n' "$SESSION" "$VT" "$USER_CREATED"
    printf '%s\n' "${CREATED_DIRS[@]}" | sed '/^$/d' | sort -u | sed 's/^/DIR=/'
)

# 5. Activate.
if have_systemd; then
    run systemctl daemon-reload
    if [ "$SESSION" = cage ]; then
        run systemctl enable vpr-kiosk.service
        say "  сеанс запустится при следующей загрузке (или: systemctl start vpr-kiosk)"
    else
        say "  сеанс запустится при следующем запуске LightDM (перезагрузите компьютер)"
    fi
elif real_system; then
    warn "systemd не запущен (контейнер?): службу включите вручную на настоящей машине"
fi

if [ "$CHANGES" = 0 ]; then
    say "Изменений нет: сеанс киоска уже установлен."
else
    if [ "$DRY_RUN" = 1 ]; then
        say "Пробный запуск: было бы изменений — $CHANGES; ничего не изменено."
    else
        say "Готово: изменений — $CHANGES."
    fi
fi
