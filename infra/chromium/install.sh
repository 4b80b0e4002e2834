#!/usr/bin/env bash
# The web chat's browser tests drive Debian's Chromium (/usr/bin/chromium) with playwright-core, which never
# downloads a browser. This installs it when it is missing (needs root, as CI has).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
/usr/bin/chromium --version
