#!/bin/sh
# A stand-in for `virsh -q -c qemu:///system …` over a directory ($FAKE_VIRSH_DIR), for the tests of
# lib/libvirt's host scripts (tests/integration/libvirt-host-scripts.test.ts): volumes are files in
# $FAKE_VIRSH_DIR/pool, domains are files in $FAKE_VIRSH_DIR/domains holding their state. A name
# containing "broken" fails to create part-way (a file is left), one containing "short" uploads
# truncated, a domain named "nostart" fails to start. Every call is logged to $FAKE_VIRSH_DIR/calls.
set -u
d=$FAKE_VIRSH_DIR
[ "$1" = -q ] && shift
[ "$1" = -c ] && shift 2
echo "$*" >>"$d/calls"
mkdir -p "$d/pool" "$d/domains"
cmd=$1
shift
case $cmd in
vol-create)
  name=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$3")
  [ -e "$d/pool/$name" ] && { echo "error: storage volume '$name' exists already" >&2; exit 1; }
  : >"$d/pool/$name"
  case $name in *broken*) echo "error: cannot create $name: disk on fire" >&2; exit 1 ;; esac
  echo "Vol $name created from $3" ;;
vol-path)
  [ -e "$d/pool/$3" ] || { echo "error: Storage volume not found: $3" >&2; exit 1; }
  echo "$d/pool/$3" ;;
vol-delete)
  [ -e "$d/pool/$3" ] || { echo "error: Storage volume not found: $3" >&2; exit 1; }
  rm -f "$d/pool/$3" ;;
vol-upload)
  case $3 in *short*) head -c 100 "$4" >"$d/pool/$3" ;; *) cat "$4" >"$d/pool/$3" ;; esac ;;
define)
  name=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$1" | head -n 1)
  # The XML has no UUID: libvirt makes one up, and refuses a name it already has under another.
  [ -e "$d/domains/$name" ] && { echo "error: operation failed: domain '$name' already exists with uuid 0f" >&2; exit 1; }
  echo "shut off" >"$d/domains/$name"
  echo "Domain '$name' defined from $1" ;;
undefine)
  for a; do name=$a; done # the domain is the last argument, after the flags and --
  rm -f "$d/domains/$name" ;;
start)
  state=running
  [ "$1" = --paused ] && { state=paused; shift; }
  name=$2
  case "$(cat "$d/domains/$name")" in running|paused) echo "error: Requested operation is not valid: domain is already running" >&2; exit 1 ;; esac
  [ "$name" = nostart ] && { echo "error: internal error: qemu unexpectedly closed the monitor" >&2; exit 1; }
  echo "$state" >"$d/domains/$name" ;;
domstate)
  cat "$d/domains/$2" 2>/dev/null || { echo "error: failed to get domain '$2'" >&2; exit 1; } ;;
*) echo "error: fake virsh does not know $cmd" >&2; exit 1 ;;
esac
