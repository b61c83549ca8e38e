#!/usr/bin/env bash
# Prepares this machine for `npm test`: Python 3 at an absolute path, a MariaDB on
# 127.0.0.1:3306 (root, empty password), a Redis on 127.0.0.1:6379 (and redis-server for the
# tests that start their own), PostgreSQL, Mosquitto, RabbitMQ and NATS for the connector tests
# and Debian's Chromium for the console's e2e. Installs or starts
# what is missing, and says what it did.
set -euo pipefail

say() { printf '[prepare] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else say "need root for: $*"; return 1; fi; }
apt_install() {
  say "installing $* from Debian's packages"
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null
}

# Python: the runner needs only the standard library.
if [ ! -x /usr/bin/python3 ] && ! command -v python3 >/dev/null; then apt_install python3; fi

# The checks below use the project's own node_modules (mysql2): make sure they are there.
if ! node -e "require('mysql2/promise')" 2>/dev/null; then
  say "node_modules is incomplete (mysql2 cannot be loaded): run npm ci first"
  exit 1
fi
# MariaDB for the store suite's MySQL run.
mysql_ok() { node -e "
  const m = require('mysql2/promise');
  m.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' })
    .then((c) => c.query('SELECT 1').then(() => c.end()))
    .then(() => process.exit(0), () => process.exit(1));" 2>/dev/null; }
if ! mysql_ok; then
  if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then apt_install mariadb-server; fi
  say "starting MariaDB"
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --bind-address=127.0.0.1 || true
  for _ in $(seq 1 60); do mysql_ok && break; sleep 0.5; done
  if ! mysql_ok; then
    say "MariaDB is not reachable on 127.0.0.1:3306 as root with an empty password."
    say "Start it by hand: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"
    exit 1
  fi
fi
# Redis for the broker suites and the production-mode tests.
redis_ok() { node -e "
  const s = require('node:net').connect(6379, '127.0.0.1');
  s.on('connect', () => s.write('PING\r\n'));
  s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));
  s.on('error', () => process.exit(1));
  setTimeout(() => process.exit(1), 2000);" 2>/dev/null; }
if ! command -v redis-server >/dev/null; then apt_install redis-server; fi
if ! redis_ok; then
  say "starting Redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 40); do redis_ok && break; sleep 0.25; done
  if ! redis_ok; then say "Redis is not reachable on 127.0.0.1:6379; start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379"; exit 1; fi
fi
# The connector suite's services (backend/test/connectors.test.ts): PostgreSQL (5432, trust auth,
# database test), Mosquitto (1883), RabbitMQ (5672, guest/guest) and NATS (4222). Started when
# installed and not answering; the suite reports what it cannot reach.
port_ok() { node -e "
  const s = require('node:net').connect($1, '127.0.0.1');
  s.on('connect', () => process.exit(0));
  s.on('error', () => process.exit(1));
  setTimeout(() => process.exit(1), 2000);" 2>/dev/null; }
start_service() { # name port command...
  local name=$1 port=$2; shift 2
  port_ok "$port" && return 0
  if ! command -v "$1" >/dev/null && [ ! -x "$1" ]; then say "$name is not installed (wanted on 127.0.0.1:$port for the connector tests)"; return 0; fi
  say "starting $name on 127.0.0.1:$port"
  as_root "$@" >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do port_ok "$port" && return 0; sleep 0.5; done
  say "$name is still not reachable on 127.0.0.1:$port; the connector tests will fail"
}
if [ -d /etc/postgresql ]; then start_service PostgreSQL 5432 pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start; fi
start_service Mosquitto 1883 mosquitto -d -c /etc/mosquitto/mosquitto.conf
start_service RabbitMQ 5672 rabbitmq-server -detached
start_service NATS 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
# Chromium for the Playwright e2e of the console (Playwright's own download host is unreachable).
chromium_ok() { [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ] || [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ]; }
if ! chromium_ok; then apt_install chromium; fi
say "python3, MariaDB, Redis, the connector services and Chromium are ready"
# Docker for the swarm suite: the engine in single-node swarm mode and the image func:local.
bash "$(dirname "$0")/prepare-docker.sh"
