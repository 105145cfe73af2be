#!/usr/bin/env bash
# Remove the classroom kiosk session set up by install-kiosk-session.sh:
# the service or LightDM/Xorg settings, the session runner, and the kiosk
# user when this set-up created it. The station's results in
# /var/lib/vpr-kiosk/data are kept unless --purge is given (export them with
# the technician screen first). Running it again changes nothing.
#
#   remove-kiosk-session.sh [--purge] [--root DIR] [--dry-run]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/common.sh
. "$HERE/common.sh"

PURGE=0
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
    --purge) PURGE=1; shift ;;
    --root) ROOT="${2:?--root: папка}"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "неизвестный параметр: $1 (см. --help)" ;;
    esac
done
if [ -n "$ROOT" ]; then
    ROOT="$(cd "$ROOT" 2>/dev/null && pwd)" || die "--root: папка не существует"
fi
need_root

read_state
say "Удаление сеанса киоска ВПР${ROOT:+ (корень $ROOT)}"

# 1. Stop the session first, so nothing runs as the kiosk user.
if have_systemd && [ -f "$P_UNIT" ]; then
    run systemctl disable --now vpr-kiosk.service || warn "не удалось остановить vpr-kiosk.service"
fi

# 2. Our files; the originals they replaced come back.
had_grub=0
if [ -e "$(at "$P_GRUB")" ]; then had_grub=1; fi
for f in "${ALL_FILES[@]}"; do drop_file "$f"; done
if have_systemd; then run systemctl daemon-reload; fi
if real_system && [ "$DRY_RUN" = 0 ]; then
    case "$SYSRQ_BEFORE" in
    '' | *[!0-9]*) ;;
    *) sysctl -q -w "kernel.sysrq=$SYSRQ_BEFORE" >/dev/null 2>&1 || true ;;
    esac
    if [ "$had_grub" = 1 ] && command -v update-grub >/dev/null 2>&1; then
        update-grub >/dev/null 2>&1 || warn "update-grub не удался"
    fi
fi

# 3. The station's data and the kiosk user.
data_kept=0
if [ -d "$(at "$KIOSK_DATA")" ] && [ -n "$(ls -A "$(at "$KIOSK_DATA")")" ]; then
    if [ "$PURGE" = 1 ]; then
        CHANGES=$((CHANGES + 1))
        run rm -rf "$(at "$KIOSK_DATA")"
        say "  удалены данные станции: $KIOSK_DATA (--purge)"
    else
        data_kept=1
        warn "в $KIOSK_DATA есть данные станции: они сохранены (удалить вместе с ними: --purge)"
    fi
fi
if real_system; then
    if getent passwd "$KIOSK_USER" >/dev/null; then
        if [ "$USER_CREATED" = 1 ]; then
            if pgrep -u "$KIOSK_USER" >/dev/null 2>&1; then
                die "пользователь $KIOSK_USER ещё работает: завершите сеанс (PIN организатора) или перезагрузите компьютер и повторите"
            fi
            CHANGES=$((CHANGES + 1))
            if [ "$data_kept" = 1 ]; then
                run userdel "$KIOSK_USER"
                run chown -R root:root "$KIOSK_HOME"
                run chmod 0700 "$KIOSK_HOME"
                say "  удалён пользователь $KIOSK_USER; папка $KIOSK_HOME с данными оставлена (владелец root)"
            else
                run userdel --remove "$KIOSK_USER" 2>/dev/null || run userdel "$KIOSK_USER"
                if [ -d "$KIOSK_HOME" ]; then run rm -rf "$KIOSK_HOME"; fi
                say "  удалён пользователь $KIOSK_USER и его папка $KIOSK_HOME"
            fi
            if getent group "$KIOSK_USER" >/dev/null; then run groupdel "$KIOSK_USER"; fi
        else
            say "  пользователь $KIOSK_USER создан не этой установкой: оставлен"
        fi
    fi
else
    drop_empty_dirs "$KIOSK_DATA" "$KIOSK_HOME"
fi

# 4. Folders this set-up created, when empty (under a fake root: every
# folder on the way to our paths, since the fake root belongs to the caller).
if ! real_system; then
    for p in "${ALL_FILES[@]}" "$KIOSK_DATA"; do
        p="$(dirname "$BACKUP_DIR$p")"
        while [ "$p" != / ]; do CREATED_DIRS+=("$p"); p="$(dirname "$p")"; done
    done
    for p in "${ALL_FILES[@]}" "$KIOSK_DATA"; do
        p="$(dirname "$p")"
        while [ "$p" != / ]; do CREATED_DIRS+=("$p"); p="$(dirname "$p")"; done
    done
fi
drop_empty_dirs "${OWN_DIRS[@]}" "${CREATED_DIRS[@]}"

if [ "$CHANGES" = 0 ]; then
    say "Изменений нет: сеанс киоска не установлен."
elif [ "$DRY_RUN" = 1 ]; then
    say "Пробный запуск: было бы изменений — $CHANGES; ничего не изменено."
else
    say "Готово: сеанс киоска удалён (изменений — $CHANGES)."
fi
