# Shared by scripts/run-app and scripts/test: install what is missing, nothing more.
# shellcheck shell=bash

# Debian packages. The Qt list is what PySide6's xcb and offscreen platforms load
# (see docs/python-stack notes); ffmpeg is the importer's fallback and transcoder.
APP_PACKAGES=(
    python3 python3-venv python3-pip ffmpeg
    libegl1 libgl1 libx11-6 libbrotli1 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
    libxkbcommon0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 fonts-dejavu-core
)
# The real programs the integration tests drive, and the validators of the Linux desktop
# metadata (tests/packaging/).
TEST_PACKAGES=(mariadb-server icecast2 liquidsoap openssh-server openssh-client xvfb xauth
    desktop-file-utils appstream)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else
        echo "error: installing system packages needs root; run as root or install: ${MISSING[*]}" >&2
        exit 1
    fi
}

ensure_debian_packages() {
    MISSING=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || MISSING+=("$pkg")
    done
    if [ "${#MISSING[@]}" -eq 0 ]; then return 0; fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: not a Debian-like system; install the equivalents of: ${MISSING[*]}" >&2
        exit 1
    fi
    echo "==> installing Debian packages: ${MISSING[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${MISSING[@]}" >/dev/null
}

# ensure_venv EXTRAS: a .venv in the checkout with the project installed (editable).
# Reinstalls only when pyproject.toml changed since the last install.
ensure_venv() {
    local extras=$1 python=${PYTHON:-python3} stamp
    if [ ! -x .venv/bin/python ]; then
        echo "==> creating .venv with $($python --version)"
        "$python" -m venv .venv
    fi
    stamp="$(sha256sum pyproject.toml | cut -c1-16)-$extras"
    if [ "$(cat .venv/.installed 2>/dev/null)" != "$stamp" ]; then
        echo "==> installing Python packages${extras:+ (with $extras)}"
        .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
        .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
        echo "$stamp" > .venv/.installed
    fi
}
