#!/bin/sh
# A stand-in for upstream's esxi-folder-fuse, to show what each plugin variant makes of
# upstream's behaviour (FB-07, FB-08, FB-09, FB-12). First argument: the behaviour; the rest
# are the plugin's arguments, of which only --ready-fd is used. Writes its pid to
# $FAKE_TOOL_PIDFILE so the test can stop it.
mode=$1
shift
fd=
while [ $# -gt 0 ]; do
    if [ "$1" = --ready-fd ]; then fd=$2; fi
    shift
done
echo $$ > "$FAKE_TOOL_PIDFILE"
case $mode in
    fail)
        # upstream's early error: one line on stderr, nothing on the ready fd, exit(-1)
        echo "Error: failed to parse manifest" >&2
        exit 255
        ;;
    multiline)
        printf 'ERROR: first line\nsecond line\n' >&"$fd"
        exit 255
        ;;
    healthy)
        # ready: close the ready fd, keep running with stderr open
        eval "exec $fd>&-"
        exec sleep 30
        ;;
esac
exit 2
