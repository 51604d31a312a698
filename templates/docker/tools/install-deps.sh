#!/bin/sh
# Installs the Python packages the model server needs that the base image lacks (run in the template's build stage).
#   install-deps.sh REQUIREMENTS WHEELS
# REQUIREMENTS has one line per package: the module the server imports, then the pip requirement that provides it
# ("sklearn scikit-learn"), then optionally the word "optional" for a package the server runs without (it says what
# it lacks): one it cannot install is a warning, not a failed build, or the word "drop" for a module the image must
# not hold (slim.sh removes it; nothing is installed for it). A module the base image already imports is
# left as it is (so a base image with Debian's packages needs no network). The others are installed with pip:
# offline from WHEELS when that folder holds wheels (a wheelhouse made with `pip download` on a machine that has the
# index: the way air-gapped builds do it), else from the package index, which needs network in the build.
set -eu
requirements=$1
wheels=$2
command -v python3 >/dev/null 2>&1 || { echo "model-canary template: the base image has no python3" >&2; exit 1; }
missing=""
optional=""
while read -r module requirement kind; do
  case "$module" in ''|'#'*) continue ;; esac
  [ "${kind:-}" = drop ] && continue
  if python3 -c "import $module" >/dev/null 2>&1; then
    echo "model-canary template: $module is in the base image"
  elif [ "${kind:-}" = optional ]; then
    optional="$optional $requirement"
  else
    missing="$missing $requirement"
  fi
done < "$requirements"
if [ -z "$missing$optional" ]; then
  echo "model-canary template: nothing to install"
  exit 0
fi

# pip install of $1 (a list), offline from the wheelhouse when it holds wheels; its status is pip's.
pip_install() {
  if ls "$wheels"/*.whl >/dev/null 2>&1; then
    echo "model-canary template: installing$1 offline from the wheelhouse ($(ls "$wheels"/*.whl | wc -l) wheels)"
    # shellcheck disable=SC2086
    python3 -m pip install --no-index --find-links "$wheels" --no-compile --only-binary=:all: $1
  else
    echo "model-canary template: installing$1 from the package index (no wheelhouse given)"
    # shellcheck disable=SC2086
    python3 -m pip install --no-compile --only-binary=:all: $1
  fi
}

has_pip=true
python3 -m pip --version >/dev/null 2>&1 || has_pip=false
if [ -n "$missing" ] && [ "$has_pip" = false ]; then
  echo "model-canary template: the base image lacks$missing and has no pip to install them; pick a BASE_IMAGE with pip or with these packages" >&2
  exit 1
fi
# pip's own cache, bytecode and version check stay out of the image; Debian marks its Python as managed by apt.
export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_WARN_SCRIPT_LOCATION=1
if [ -n "$missing" ]; then
  pip_install "$missing" || {
    if ls "$wheels"/*.whl >/dev/null 2>&1; then
      echo "model-canary template: the wheelhouse lacks a wheel for$missing or one of its dependencies, for this image's Python ($(python3 -c 'import sys; print("cp%d%d" % sys.version_info[:2])')) and platform: add it with pip download (see the template's README)" >&2
    else
      echo "model-canary template: pip could not install$missing from the index; a build without network needs a wheelhouse (image.wheelhouse)" >&2
    fi
    exit 1
  }
fi
if [ -n "$optional" ]; then
  if [ "$has_pip" = false ] || ! pip_install "$optional"; then
    echo "model-canary template: warning: could not install$optional (optional: the server runs without it; see the template's README)" >&2
  fi
fi
for module in $(awk '$1 !~ /^#/ && NF && $3 != "optional" { print $1 }' "$requirements"); do
  python3 -c "import $module" || { echo "model-canary template: $module still does not import" >&2; exit 1; }
done
