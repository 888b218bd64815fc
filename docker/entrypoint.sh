#!/bin/sh
# Starts the vcc service named by the first argument (or $VCC_SERVICE): server, node or sp-node.
set -e
service="${1:-${VCC_SERVICE:-server}}"
[ $# -gt 0 ] && shift
case "$service" in
  server) jar=vcc-server.jar ;;
  node) jar=vcc-node.jar ;;
  sp-node) jar=sp-node.jar ;;
  *) echo "usage: server | node | sp-node" >&2; exit 2 ;;
esac
exec java ${JAVA_OPTS:-} -jar "/opt/vcc/$jar" --vcc.home="${VCC_HOME:-/var/lib/vcc}" "$@"
