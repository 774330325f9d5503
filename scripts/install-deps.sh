#!/usr/bin/env bash
# Installs the Debian packages tailnas needs, only those missing; sudo when not root.
set -euo pipefail
packages=(libopenblas-dev zlib1g-dev libncurses-dev tmux dataset-fashion-mnist librsvg2-bin graphviz)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
