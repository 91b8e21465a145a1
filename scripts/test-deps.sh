#!/usr/bin/env bash
# Installs the system packages the tests use as real peers: socat (pty pairs), pymodbus (a Modbus
# slave; python3-serial + python3-serial-asyncio are its serial server, only "recommended" by the
# package, so --no-install-recommends skips them), mbpoll (libmodbus master), Chromium (Playwright, no
# browser download), mosquitto + clients,
# InfluxDB 1.x, VictoriaMetrics (a second, independent server of InfluxDB's /api/v2/write) and
# Prometheus (integration peers) and poppler-utils (pdftotext/pdftoppm for reports), openssl (certificates for the MQTT TLS test),
# xvfb + xauth (xvfb-run: a display for the Electron launch test).
set -euo pipefail
pkgs=(socat python3-pymodbus python3-serial python3-serial-asyncio mbpoll chromium mosquitto mosquitto-clients influxdb victoria-metrics prometheus poppler-utils openssl xvfb xauth)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
