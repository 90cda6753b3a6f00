#!/bin/bash
# A real AT-SPI client (as Orca uses) reads and fills the register page of rmdesk under
# Xvfb. Needs: xvfb openbox xdotool at-spi2-core python3-pyatspi dbus (Debian packages).
#   Xvfb :8 -screen 0 1366x768x24 & DISPLAY=:8 openbox &
#   dbus-run-session -- tests/atspi/run.sh
# Exit status 0: every input on screen has a name and typing into "Event" was saved.
set -u
export DISPLAY=${DISPLAY:-:8}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=$(mktemp -d)
"$ROOT/.venv/bin/python" -m rmdesk --data-dir "$DATA" demo > /dev/null
/usr/libexec/at-spi-bus-launcher --launch-immediately &
BUS=$!
sleep 1
QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_QPA_PLATFORM=xcb \
    "$ROOT/.venv/bin/python" -m rmdesk --data-dir "$DATA" --lang en > "$DATA/app.log" 2>&1 &
APP=$!
sleep 6
/usr/bin/python3 "$HERE/read_and_fill_register.py"
RC=$?
kill $APP; sleep 1; kill $BUS
if [ $RC -eq 0 ]; then
    sqlite3 "$DATA/rmdesk.sqlite3" "select event from risk where event like '%Kestria%'" \
        | grep -q Kestria || RC=4
fi
rm -rf "$DATA"
exit $RC
