#!/usr/bin/env bash
# Set up the classroom kiosk session for the VPR station app (vpr-app):
# a dedicated unprivileged user logs in automatically into a session that
# runs only the app and restarts it after a crash; virtual-terminal switching
# and Ctrl+Alt+Backspace are off; leaving needs the organizer PIN (the app
# exits cleanly only after it). Around the session, for both kinds: SysRq
# only syncs disks (kernel.sysrq=16), Ctrl+Alt+Del is masked, logind starts
# no spare terminals and ignores the power, suspend, hibernate and reboot
# keys and the lid, the app runs under an inhibitor lock, the GRUB menu is
# hidden (with a warning when GRUB has no password). Every file replaced is
# kept and put back by remove-kiosk-session.sh. Idempotent: running it again
# changes nothing.
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

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }

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
read_state
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
# Запасных терминалов нет (NAutoVTs=0): после штатного выхода на tty$VT
# появляется вход для администратора; после сбоя — нет (служба перезапускается).
ExecStopPost=+/bin/sh -c '[ "\$SERVICE_RESULT" = success ] && systemctl --no-block start getty@tty$VT.service || true'

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
# Без гостевого входа; список пользователей на экране входа скрыт.
allow-guest=false
greeter-allow-guest=false
greeter-hide-users=true
LIGHTDM
    put_file "$P_XORG" 0644 <<XORG
# Сеанс киоска ВПР: без переключения терминалов и без Ctrl+Alt+Backspace.
Section "ServerFlags"
    Option "DontVTSwitch" "true"
    Option "DontZap" "true"
EndSection
XORG
fi

# 5. The OS around the session (both kinds).
put_file "$P_SYSCTL" 0644 <<'SYSCTL'
# Сеанс киоска ВПР: из комбинаций Alt+SysRq разрешена только синхронизация дисков (16).
kernel.sysrq = 16
SYSCTL
put_file "$P_LOGIND" 0644 <<'LOGIND'
# Сеанс киоска ВПР: ни запасных терминалов, ни реакции на кнопки питания,
# сна, гибернации, перезагрузки и на крышку (действует после перезагрузки).
[Login]
NAutoVTs=0
ReserveVT=0
HandlePowerKey=ignore
HandlePowerKeyLongPress=ignore
HandleRebootKey=ignore
HandleRebootKeyLongPress=ignore
HandleSuspendKey=ignore
HandleSuspendKeyLongPress=ignore
HandleHibernateKey=ignore
HandleHibernateKeyLongPress=ignore
HandleLidSwitch=ignore
HandleLidSwitchExternalPower=ignore
HandleLidSwitchDocked=ignore
LOGIND
# Ctrl+Alt+Del does not reboot (the unit is masked).
put_link "$P_CAD" /dev/null
if [ -e "$(at /etc/default/grub)" ]; then
    put_file "$P_GRUB" 0644 <<'GRUB'
# Сеанс киоска ВПР: меню загрузчика скрыто, загрузка без ожидания.
GRUB_TIMEOUT_STYLE=hidden
GRUB_TIMEOUT=0
GRUB
    if ! grub_has_password; then
        warn "################################################################"
        warn "У загрузчика GRUB НЕТ ПАРОЛЯ. Меню скрыто, но Esc или Shift при"
        warn "загрузке его открывают: участник может изменить параметры ядра"
        warn "(например init=/bin/sh) и получить права root, обойдя киоск."
        warn "Задайте пароль: grub-mkpasswd-pbkdf2, затем в /etc/grub.d/40_custom"
        warn "  set superusers=\"admin\""
        warn "  password_pbkdf2 admin <хеш>"
        warn "и выполните update-grub. Закройте также вход в настройки BIOS/UEFI"
        warn "паролем и загрузку с USB."
        warn "################################################################"
    fi
else
    drop_file "$P_GRUB"
    say "  GRUB не найден: меню загрузчика не настраивается"
fi

if [ -z "$SYSRQ_BEFORE" ] && real_system && [ -r /proc/sys/kernel/sysrq ]; then
    SYSRQ_BEFORE="$(cat /proc/sys/kernel/sysrq)"
fi
if [ "$DRY_RUN" = 0 ]; then make_dirs "$(dirname "$P_STATE")"; fi
put_file "$P_STATE" 0644 < <(
    printf 'SESSION=%s\nVT=%s\nUSER_CREATED=%s\nBACKUPS=1\n' "$SESSION" "$VT" "$USER_CREATED"
    if [ -n "$SYSRQ_BEFORE" ]; then printf 'SYSRQ_BEFORE=%s\n' "$SYSRQ_BEFORE"; fi
    printf '%s\n' "${CREATED_DIRS[@]}" | sed '/^$/d' | sort -u | sed 's/^/DIR=/'
)

# 6. Activate.
if real_system && [ "$DRY_RUN" = 0 ]; then
    sysctl -q -p "$P_SYSCTL" >/dev/null 2>&1 || warn "kernel.sysrq не применён сейчас (контейнер?): применится при загрузке"
    if [ -e "$P_GRUB" ] && command -v update-grub >/dev/null 2>&1; then
        update-grub >/dev/null 2>&1 || warn "update-grub не удался: меню загрузчика пока не скрыто"
    fi
fi
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
