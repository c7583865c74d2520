#!/usr/bin/env bash
# Installs the system packages the briefing needs and pip cannot provide:
# a headless Chromium (HTML -> PDF), its chromedriver (the browser test drives the HTML with selenium),
# the DejaVu fonts (chart text metrics), poppler-utils (pdftotext/pdfinfo for the tests) and, where missing,
# python3-venv.
# Uses apt-get as root, sudo otherwise; where neither works it prints the one line to run.
set -u
missing=()
chromium_bin=""
for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
  [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && { chromium_bin=$candidate; break; }
done
[ -n "$chromium_bin" ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing system packages: ${missing[*]} (no apt-get here: install them with your package manager)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo -n)
else
  echo "error: missing system packages; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { "${run[@]}" apt-get update -qq && "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "error: apt-get could not install: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
