#!/bin/sh
# Slims the build stage's file system into what the model server needs at run time; the template's final stage
# (FROM scratch) then copies it whole, as one layer, so what is removed here is really gone from the image.
#   slim.sh "MODULES TO DROP" "MODULES THAT MUST IMPORT"
#   slim.sh --requirements REQUIREMENTS   the same from a template's requirements.txt (install-deps.sh's format):
#                                         the modules marked drop are dropped, the ones with no mark must import
# Removes: compilers, headers, pip and the other build tools (Debian's scipy declares a dependency on pythran, a
# compiler, so dpkg is told to ignore dependencies), the Python modules to drop (for example scikit-learn and scipy
# in an ONNX image) whether Debian's or pip's, the setuid/setgid bits, package caches and lists, documentation, the
# libraries' own test suites and scikit-learn's sample data. Then checks that the server's modules still import
# and adds the server's user (UID 10001).
set -eu
if [ "$1" = --requirements ]; then
  drop="$(awk '$1 !~ /^#/ && $3 == "drop" { print $1 }' "$2" | tr '\n' ' ')"
  keep="$(awk '$1 !~ /^#/ && NF >= 2 && $3 == "" { print $1 }' "$2" | tr '\n' ' ')"
else
  drop=$1
  keep=$2
fi
if command -v dpkg-query >/dev/null 2>&1; then
  remove="$(dpkg-query -W -f '${db:Status-Status} ${Package}\n' \
    | awk '$1 == "installed" { print $2 }' \
    | grep -E '(-dev(:.*)?$|^(gcc|g\+\+|cpp|c\+\+)(-[0-9]+)?$|^binutils|^lib(asan|tsan|lsan|ubsan|hwasan|itm|cc1|gprofng|binutils|ctf|ctf-nobfd|isl|mpc|mpfr|jansson)[0-9]*$|^(make|patch|dpkg-dev|build-essential|rpcsvc-proto|libc-dev-bin)$|^python3(\.[0-9]+)?-(pip|pythran|setuptools|wheel|gast|beniget|ply|distutils|lib2to3)$|^python3-all)' \
    | grep -v -E '^(gcc-[0-9]+-base|libgcc-s[0-9]+)$' || true)"
  for module in $drop; do
    dir="$(python3 -c "import importlib.util as u, os; s = u.find_spec('$module'); print(os.path.dirname(s.origin) if s and s.origin else '')" 2>/dev/null || true)"
    [ -n "$dir" ] || continue
    # "python3-sklearn-lib:amd64, python3-sklearn: /usr/lib/python3/dist-packages/sklearn"
    owners="$(dpkg-query -S "$dir" 2>/dev/null | sed 's/: .*//' | tr ',' '\n' | sed 's/:.*//' | tr -d ' ' || true)"
    remove="$remove $owners"
  done
  # shellcheck disable=SC2086
  set -- $remove
  if [ $# -gt 0 ]; then dpkg --purge --force-depends "$@" >/dev/null; fi
fi
# What pip installed (or a base image that is not Debian's): the module's folder and its dist-info.
for module in $drop pip setuptools wheel; do
  dir="$(python3 -c "import importlib.util as u, os; s = u.find_spec('$module'); print(os.path.dirname(s.origin) if s and s.origin else '')" 2>/dev/null || true)"
  if [ -n "$dir" ] && [ -d "$dir" ]; then
    rm -rf "$dir"
    find "$(dirname "$dir")" -maxdepth 1 -iname "${module}-*.dist-info" -exec rm -rf {} +
  fi
done
rm -f /usr/local/bin/pip /usr/local/bin/pip3 /usr/local/bin/pip3.*
for tool in gcc cc c++ g++ cpp ld as make pip pip3; do
  if command -v "$tool" >/dev/null 2>&1; then echo "model-canary template: still installed: $tool" >&2; exit 1; fi
done
find / -xdev -type f -perm /6000 -exec chmod ug-s {} +
# The libraries' test suites, and scikit-learn's bundled sample data sets.
pkgdirs="$(python3 -c 'import importlib.util as u, os; print(" ".join(os.path.dirname(s.origin) for s in map(u.find_spec, ("numpy", "scipy", "sklearn", "onnxruntime", "pandas")) if s and s.origin))')"
for d in $pkgdirs; do
  find "$d" -type d -name tests -prune -exec rm -rf {} +
  case "$d" in */sklearn) rm -rf "$d/datasets/data" "$d/datasets/images" "$d/datasets/descr" ;; esac
done
# onnxruntime's tools (model conversion and quantization scripts) and its training parts are not needed to serve.
for d in $pkgdirs; do
  case "$d" in */onnxruntime) rm -rf "$d/tools" "$d/transformers" "$d/quantization" "$d/datasets" ;; esac
done
for module in $keep; do
  python3 -c "import $module" || { echo "model-canary template: $module no longer imports after slimming" >&2; exit 1; }
done
for module in $drop; do
  if python3 -c "import $module" >/dev/null 2>&1; then echo "model-canary template: $module is still installed" >&2; exit 1; fi
done
# Last, as importing the libraries above may write caches (onnxruntime does, under ~/.cache and /tmp).
rm -rf /root/.cache /root/.pip /tmp/* /tmp/.[!.]* /var/tmp/* /var/cache/apt/* /var/cache/debconf/*-old /var/lib/apt/lists/* \
       /var/log/*.log /var/log/apt /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/include/*
grep -q '^model:' /etc/passwd || echo 'model:x:10001:10001:model server:/nonexistent:/usr/sbin/nologin' >> /etc/passwd
grep -q '^model:' /etc/group || echo 'model:x:10001:' >> /etc/group
mkdir -p /app
