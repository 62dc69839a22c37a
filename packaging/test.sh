#!/usr/bin/env bash
# make package-test: what make package put in dist/, installed and run for
# real on this machine, then removed, leaving it as it was. It must run as
# root (dpkg, a system user). Screenshots and logs: bin/package-test/.
#
#  1. dossierd_VERSION_amd64.deb: apt-get install; its user, directories and
#     modes; the unit's ExecStart run as the unit runs it (by systemd where
#     systemd is PID 1; otherwise as the dossierd user with the unit's
#     environment and the env file, said loudly); /healthz over TLS, checked
#     against the certificate the server made; /metrics; dpkg -r keeps the
#     data and the configuration; dpkg --purge leaves nothing behind.
#  2. dossier_VERSION_amd64.deb: its dependencies cover every library the
#     binary links; the desktop entry and the icon; the app opens under Xvfb
#     (a screenshot); remove and purge leave nothing behind.
#  3. the .tar.xz: the binary, the icon and the desktop entry fyne put in it.
#  4. the Windows .zip under Wine: dossierd.exe and dossierctl.exe print the
#     version; dossier.exe carries its icon and version resource; then it is
#     started under Xvfb and what it drew is captured (reported, not failed:
#     Wine's OpenGL on a virtual X server is not the product).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
: "${VERSION:?VERSION, from FyneApp.toml, is set by the Makefile}"
BUILD=$(sed -n 's/^Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
DISPLAY_NUM=${PACKAGE_TEST_DISPLAY:-107}
out=$root/bin/package-test
server_deb=dist/dossierd_${VERSION}_amd64.deb
app_deb=dist/dossier_${VERSION}_amd64.deb
tarball=dist/dossier-${VERSION}-linux-amd64.tar.xz
winzip=dist/dossier-${VERSION}-windows-amd64.zip
started=$(date +%s)

say() { printf '== %s (%ss)\n' "$*" $(( $(date +%s) - started )); }
ok() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; exit 1; }
want() { # want DESCRIPTION GOT EXPECTED
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	ok "$1: $2"
}

[ "$(id -u)" -eq 0 ] || fail "make package-test installs packages and a system user: run it as root"
for f in "$server_deb" "$app_deb" "$tarball" "$winzip"; do
	[ -f "$f" ] || fail "$f is missing: run make package first"
done
(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "dist/SHA256SUMS does not match"
ok "dist/SHA256SUMS"
for p in dossier dossierd; do
	if dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q installed; then
		fail "$p is already installed here; make package-test would remove it"
	fi
done
rm -rf "$out" && mkdir -p "$out"
tmp=$(mktemp -d)
chmod 755 "$tmp"

server_pid= xvfb_pid= app_pid= wine_pid=
cleanup() {
	set +e
	[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
	[ -n "$wine_pid" ] && kill "$wine_pid" 2>/dev/null
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	[ -n "${WINEPREFIX:-}" ] && "${WINESERVER:-/usr/lib/wine/wineserver}" -k 2>/dev/null
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
	sleep 1
	dpkg --purge dossierd dossier >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# Every file under the system's directories, and every user and group:
# what an install adds and a purge must take away again. dpkg's, apt's
# and the logs' own bookkeeping aside.
snapshot() {
	find /etc /usr /var /opt /srv /lib /bin /sbin -xdev \
		\( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache -o -path /var/log \
		-o -path /var/tmp -o -path /var/lib/systemd -o -path /var/mail -o -path /var/spool \
		-o -path /usr/share/icons/hicolor/icon-theme.cache \) -prune -o -print 2>/dev/null | sort
	getent passwd | cut -d: -f1 | sed 's/^/user /' | sort
	getent group | cut -d: -f1 | sed 's/^/group /' | sort
}
# nothing_left BEFORE-FILE: the machine as it was before the install.
nothing_left() {
	snapshot > "$tmp/after"
	if ! diff "$1" "$tmp/after" > "$tmp/diff"; then
		cat "$tmp/diff"
		fail "$2 left the machine changed (above: < gone, > left behind)"
	fi
	ok "$2 left nothing behind ($(wc -l < "$1") files, users and groups compared)"
}
depends_of() { dpkg-deb -f "$1" Depends | tr -d ' ' | tr ',' '\n' | sed 's/(.*//' | grep -v '^$'; }

say "1. dossierd: $server_deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(depends_of "$server_deb") >/dev/null
snapshot > "$tmp/before-server"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "./$server_deb" > "$out/install-dossierd.log" 2>&1 \
	|| { cat "$out/install-dossierd.log"; fail "apt-get install ./$server_deb"; }
ok "apt-get install ./$server_deb"
dpkg -L dossierd > "$out/dossierd-files.txt"
want "dossierd --version" "$(dossierd --version)" "dossierd version $VERSION"
want "dossierctl --version" "$(dossierctl --version)" "dossierctl version $VERSION"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd dossierd) || fail "no dossierd user"
[ "$uid" -lt 1000 ] || fail "dossierd's uid $uid is not a system user's"
want "dossierd's home and shell" "$home $shell" "/var/lib/dossierd /usr/sbin/nologin"
want "/var/lib/dossierd" "$(stat -c '%U:%G %a' /var/lib/dossierd)" "dossierd:dossierd 700"
want "/etc/dossierd/dossierd.env" "$(stat -c '%U:%G %a' /etc/dossierd/dossierd.env)" "root:root 640"
unit=/usr/lib/systemd/system/dossierd.service
[ -f "$unit" ] || fail "no $unit"
grep -q '^/etc/dossierd/dossierd.env$' /var/lib/dpkg/info/dossierd.conffiles || fail "the env file is not a conffile"
ok "the env file is a conffile (an upgrade keeps the operator's)"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify "$unit" > "$out/unit-verify.log" 2>&1 || { cat "$out/unit-verify.log"; fail "systemd-analyze verify $unit"; }
	ok "systemd-analyze verify $unit"
fi
for opt in NoNewPrivileges=yes ProtectSystem=strict ReadWritePaths=/var/lib/dossierd User=dossierd ProtectHome=yes PrivateTmp=yes; do
	grep -qx "$opt" "$unit" || fail "$unit lacks $opt"
done
ok "the unit's hardening options"

# Configured as an operator would: the env file, on ports of our own.
# A port nothing listens on, under the kernel's ephemeral range.
free_port() {
	local p
	while :; do
		p=$(( 20000 + RANDOM % 12000 ))
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}
port=$(free_port)
mport=$(free_port)
[ "$mport" != "$port" ] || mport=$(( port + 1 ))
printf 'DOSSIERD_ADDR=127.0.0.1:%s\nDOSSIERD_METRICS=127.0.0.1:%s\n' "$port" "$mport" >> /etc/dossierd/dossierd.env
if [ -d /run/systemd/system ]; then
	say "starting dossierd.service with systemctl"
	systemctl restart dossierd.service
else
	say "systemd is not PID 1 here: running the unit's ExecStart as User=dossierd with its Environment= and EnvironmentFile="
	sed -n 's/^Environment=//p' "$unit" > "$tmp/unit-env"
	envfile=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit")
	execstart=$(sed -n 's/^ExecStart=//p' "$unit")
	(
		cd /
		umask 0077
		exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 bash -c '
			set -a; . "$1"; . "$2"; set +a
			eval "set -- $3"
			exec runuser -u dossierd -- "$@"' _ "$tmp/unit-env" "$envfile" "$execstart"
	) > "$out/dossierd.log" 2>&1 &
	server_pid=$!
fi
cert=/var/lib/dossierd/tls/cert.pem
for _ in $(seq 60); do
	[ -f "$cert" ] && curl -fsS --cacert "$cert" "https://localhost:$port/healthz" > "$tmp/health" 2>/dev/null && break
	sleep 0.5
done
[ -s "$tmp/health" ] || { cat "$out/dossierd.log"; fail "/healthz did not answer on https://localhost:$port"; }
grep -q '"status": *"ok"' "$tmp/health" && grep -q "\"$VERSION\"" "$tmp/health" \
	|| fail "/healthz said $(cat "$tmp/health")"
ok "https://localhost:$port/healthz, verified against the self-signed certificate it made: $(cat "$tmp/health")"
want "the server's process runs as" "$(ps -o user= -p "$(pgrep -u dossierd -x dossierd | head -1)")" "dossierd"
want "its certificate's key" "$(stat -c '%U %a' /var/lib/dossierd/tls/key.pem)" "dossierd 600"
if find /var/lib/dossierd ! -user dossierd | grep -q .; then fail "files under /var/lib/dossierd not the dossierd user's"; fi
ok "everything under /var/lib/dossierd is the dossierd user's"
curl -fsS "http://127.0.0.1:$mport/metrics" > "$tmp/metrics" || fail "/metrics did not answer"
grep -q '^dossierd_http_requests_total{' "$tmp/metrics" || fail "/metrics has no dossierd_http_requests_total"
ok "http://127.0.0.1:$mport/metrics ($(grep -c '^dossierd_' "$tmp/metrics") dossierd_ samples)"
if [ -d /run/systemd/system ]; then
	systemctl stop dossierd.service
else
	# runuser passes the TERM on to dossierd, which shuts down cleanly.
	kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=
	for _ in $(seq 40); do pgrep -u dossierd >/dev/null || break; sleep 0.5; done
	! pgrep -u dossierd >/dev/null || fail "dossierd did not stop within 20 s of its TERM"
fi

dpkg -r dossierd > "$out/remove-dossierd.log" 2>&1 || { cat "$out/remove-dossierd.log"; fail "dpkg -r dossierd"; }
for f in /usr/bin/dossierd /usr/bin/dossierctl "$unit"; do [ ! -e "$f" ] || fail "dpkg -r left $f"; done
[ -f /etc/dossierd/dossierd.env ] && [ -f "$cert" ] && getent passwd dossierd >/dev/null \
	|| fail "dpkg -r took the configuration, the data or the user"
ok "dpkg -r: the programs and the unit gone; the data, the configuration and the user kept"
dpkg --purge dossierd > "$out/purge-dossierd.log" 2>&1 || { cat "$out/purge-dossierd.log"; fail "dpkg --purge dossierd"; }
nothing_left "$tmp/before-server" "dpkg --purge dossierd"

say "2. the desktop app: $app_deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(depends_of "$app_deb") >/dev/null
snapshot > "$tmp/before-app"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "./$app_deb" > "$out/install-dossier.log" 2>&1 \
	|| { cat "$out/install-dossier.log"; fail "apt-get install ./$app_deb"; }
ok "apt-get install ./$app_deb"
dpkg -L dossier > "$out/dossier-files.txt"
want "dossier --version" "$(DISPLAY= LANG=en_CA.UTF-8 dossier --version)" "dossier version $VERSION"
# Every library the binary links comes from a declared dependency: those
# it names (NEEDED) and those GLFW opens at run time (dlopen).
deps=" $(depends_of "$app_deb" | tr '\n' ' ') "
libs=$(readelf -d /usr/bin/dossier | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in libXcursor.so.1 libXrandr.so.2 libXinerama.so.1 libXi.so.6 libXxf86vm.so.1; do
	grep -qa "$lib" /usr/bin/dossier && libs="$libs $lib"
done
for lib in $libs; do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ { p = $NF } END { print p }')
	[ -n "$path" ] || fail "$lib, which dossier links, is not on this machine"
	pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 || true)
	[ -n "$pkg" ] || pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 || true)
	case "$deps" in *" $pkg "*) ok "$lib from $pkg, a declared dependency" ;;
	*) fail "$lib comes from $pkg, which $app_deb does not depend on" ;; esac
done
desktop=/usr/share/applications/ca.dossier.desktop.desktop
[ -f "$desktop" ] || fail "no $desktop"
if command -v desktop-file-validate >/dev/null; then
	desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
fi
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
icon=$(sed -n 's/^Icon=//p' "$desktop")
command -v "${exec_line%% *}" >/dev/null || fail "the desktop entry's Exec=$exec_line is not on PATH"
[ -f "/usr/share/icons/hicolor/512x512/apps/$icon.png" ] || fail "no icon $icon in hicolor"
ok "the desktop entry (Exec=$exec_line, Icon=$icon) and its icon"

if [ ! -e "/tmp/.X11-unix/X$DISPLAY_NUM" ]; then
	Xvfb ":$DISPLAY_NUM" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.2; done
fi
export DISPLAY=:$DISPLAY_NUM
mkdir -p "$tmp/home"
# Started as its desktop entry starts it, with a home of its own.
HOME=$tmp/home LANG=en_CA.UTF-8 $exec_line > "$out/dossier.log" 2>&1 &
app_pid=$!
timeout 60 xdotool search --sync --onlyvisible --name '^Dossier' > "$tmp/win" 2>/dev/null || { cat "$out/dossier.log"; fail "the app opened no window on $DISPLAY"; }
sleep 4
kill -0 "$app_pid" 2>/dev/null || { cat "$out/dossier.log"; fail "the app exited"; }
# The screenshot is the window's first screen; it must hold more than a
# blank window's few colours.
xwd -root -display "$DISPLAY" | xwdtopnm 2>/dev/null > "$tmp/shot.pnm"
pnmtopng < "$tmp/shot.pnm" > "$out/app-linux.png"
colours=$(ppmhist -noheader "$tmp/shot.pnm" | wc -l)
[ "$colours" -gt 20 ] || fail "the app's window looks blank ($colours colours): $out/app-linux.png"
ok "the app opened its window under Xvfb ($colours colours): $out/app-linux.png"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=
dpkg -r dossier > "$out/remove-dossier.log" 2>&1 || fail "dpkg -r dossier"
for f in /usr/bin/dossier "$desktop" "/usr/share/icons/hicolor/512x512/apps/$icon.png"; do [ ! -e "$f" ] || fail "dpkg -r left $f"; done
ok "dpkg -r dossier: the binary, the desktop entry and the icon gone"
dpkg --purge dossier > "$out/purge-dossier.log" 2>&1 || fail "dpkg --purge dossier"
nothing_left "$tmp/before-app" "dpkg -r and --purge dossier"

say "3. $tarball"
tar -tJf "$tarball" > "$out/tarball-files.txt"
for f in bin/dossier share/applications/ca.dossier.desktop.desktop share/pixmaps/ca.dossier.desktop.png; do
	grep -q "usr/\(local/\)\{0,1\}$f\$" "$out/tarball-files.txt" || fail "$tarball has no $f"
done
mkdir -p "$tmp/tar" && tar -xJf "$tarball" -C "$tmp/tar"
bin=$(find "$tmp/tar" -path '*/bin/dossier' -type f)
want "the .tar.xz's dossier --version" "$(DISPLAY= LANG=en_CA.UTF-8 "$bin" --version)" "dossier version $VERSION"

say "4. Windows: $winzip under Wine"
mkdir -p "$tmp/zip" && (cd "$tmp/zip" && unzip -q "$root/$winzip")
windir=$tmp/zip/dossier-$VERSION-windows-amd64
for f in dossier.exe dossierd.exe dossierctl.exe LICENSE.txt; do [ -f "$windir/$f" ] || fail "the zip has no $f"; done
# The resource fyne package compiled into dossier.exe: the version and the
# product name in its VERSIONINFO (UTF-16), and an icon.
strings -el "$windir/dossier.exe" > "$tmp/res16"
grep -qx "$VERSION.$BUILD" "$tmp/res16" && grep -qx Dossier "$tmp/res16" || fail "dossier.exe has no version resource"
# The resource directory's types: 3 RT_ICON, 14 RT_GROUP_ICON, 16 RT_VERSION, 24 RT_MANIFEST.
x86_64-w64-mingw32-objdump -p "$windir/dossier.exe" | sed -n 's/^[0-9a-f]\{3\}   Entry: ID: 0x\([0-9a-f]*\),.*/\1/p' \
	| tr '\n' ' ' > "$tmp/rtypes"
for t in 000003 00000e 000010 000018; do
	grep -qw "$t" "$tmp/rtypes" || fail "dossier.exe lacks resource type 0x$t (it has: $(cat "$tmp/rtypes"))"
done
ok "dossier.exe carries its icon, version and manifest resources (ProductVersion $VERSION.$BUILD, ProductName Dossier)"
# Debian's wine64 package puts the loader in /usr/lib/wine (the wine
# package adds /usr/bin/wine, a wrapper).
WINE=$(command -v wine64 || echo /usr/lib/wine/wine64)
WINESERVER=$(command -v wineserver || echo /usr/lib/wine/wineserver)
export WINEPREFIX=$tmp/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
say "creating a Wine prefix"
DISPLAY= "$WINE" wineboot --init > "$out/wineboot.log" 2>&1 || true
# Debian 12's Wine 8.0 lacks bcryptprimitives.dll, where Go 1.22 and later
# take their random numbers (Windows 10 and later have it): a stand-in in
# this prefix, never in the zip (packaging/wine/bcryptprimitives.c).
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
	packaging/wine/bcryptprimitives.c -ladvapi32
for p in dossierd dossierctl; do
	got=$(DISPLAY= timeout 120 "$WINE" "$windir/$p.exe" --version 2>>"$out/wine.log" | tr -d '\r')
	want "wine64 $p.exe --version" "$got" "$p version $VERSION"
done
got=$(DISPLAY= timeout 60 "$WINE" "$windir/dossier.exe" --version 2>>"$out/wine.log" | tr -d '\r' || true)
# A -H windowsgui program has no console of its own on Windows; Wine hands
# it the terminal's, so it prints there. Said, not failed.
echo "note wine64 dossier.exe --version printed: '${got}'"
(cd "$tmp/home" && HOME=$tmp/home "$WINE" "$windir/dossier.exe" > "$out/wine-dossier.log" 2>&1) &
wine_pid=$!
if timeout 90 xdotool search --sync --onlyvisible --name '^Dossier' > /dev/null 2>&1; then
	sleep 8
	xwd -root -display "$DISPLAY" | xwdtopnm 2>/dev/null > "$tmp/wshot.pnm"
	pnmtopng < "$tmp/wshot.pnm" > "$out/app-wine.png"
	echo "note dossier.exe opened a window under Wine on $DISPLAY ($(ppmhist -noheader "$tmp/wshot.pnm" | wc -l) colours): $out/app-wine.png"
else
	xwd -root -display "$DISPLAY" | xwdtopnm 2>/dev/null | pnmtopng > "$out/app-wine.png" || true
	echo "note dossier.exe opened no window under Wine within 90 s: see $out/wine-dossier.log"
fi
kill "$wine_pid" 2>/dev/null || true; "$WINESERVER" -k 2>/dev/null || true; wine_pid=
say "all passed"
