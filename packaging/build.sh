#!/usr/bin/env bash
# make package: every installer into dist/ (the Makefile installs the
# system packages first; the Go tools, pinned, are installed here).
#
#   dist/dossier-VERSION-linux-amd64.tar.xz    the desktop app (fyne package)
#   dist/dossier_VERSION_amd64.deb             the desktop app (nfpm)
#   dist/dossierd_VERSION_amd64.deb            dossierd + dossierctl + systemd unit (nfpm)
#   dist/dossier-VERSION-windows-amd64.zip     dossier.exe (cgo, MinGW-w64), dossierd.exe, dossierctl.exe
#   dist/SHA256SUMS
#
# The desktop app's cgo builds are the slow part; Go's build cache keeps
# them, so a second run only links.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
: "${VERSION:?VERSION, from FyneApp.toml, is set by the Makefile}"
GO=${GO:-go}
BUILD=$(sed -n 's/^Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
NFPM_VERSION=v2.48.0
FYNE_TOOLS_VERSION=v1.7.4
tools=$root/bin/tools
stage=bin/package
started=$(date +%s)
say() { printf '== %s (%ss)\n' "$*" $(( $(date +%s) - started )); }

# The Go tools, pinned: installed again only when missing or another version.
mkdir -p "$tools"
# The module version a binary was built from (go version -m).
built() { $GO version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $2 "@" $3 }'; }
if [ "$(built "$tools/nfpm")" != "github.com/goreleaser/nfpm/v2@$NFPM_VERSION" ]; then
	say "installing nfpm $NFPM_VERSION"
	GOBIN=$tools CGO_ENABLED=0 $GO install "github.com/goreleaser/nfpm/v2/cmd/nfpm@$NFPM_VERSION"
fi
if [ "$(built "$tools/fyne")" != "fyne.io/tools@$FYNE_TOOLS_VERSION" ]; then
	say "installing fyne $FYNE_TOOLS_VERSION"
	GOBIN=$tools CGO_ENABLED=0 $GO install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
fi

rm -rf "$stage" dist
mkdir -p "$stage/linux" "$stage/windows" "$stage/fyne" dist
ldflags="-X dossier/internal/version.Version=$VERSION -s -w"

say "linux: dossierd, dossierctl (pure Go)"
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $GO build -trimpath -tags migrated_fynedo -ldflags "$ldflags" \
	-o "$stage/linux/" ./cmd/dossierd ./cmd/dossierctl
say "linux: dossier (cgo)"
CGO_ENABLED=1 GOOS=linux GOARCH=amd64 $GO build -trimpath -tags migrated_fynedo -ldflags "$ldflags" \
	-o "$stage/linux/dossier" ./cmd/dossier

say "linux: dossier-$VERSION-linux-amd64.tar.xz (fyne package)"
# fyne package takes the binary just built (it builds only when there is
# none) and adds the icon, the desktop entry and a Makefile to install them.
(cd "$stage/fyne" && "$tools/fyne" package -os linux -src "$root/cmd/dossier" \
	-executable "$root/$stage/linux/dossier" -name Dossier -app-id ca.dossier.desktop \
	-app-version "$VERSION" -app-build "$BUILD" -icon "$root/assets/icon.png")
mv "$stage/fyne/Dossier.tar.xz" "dist/dossier-$VERSION-linux-amd64.tar.xz"

say "linux: the .deb packages (nfpm)"
export VERSION
"$tools/nfpm" package --packager deb --config packaging/nfpm-dossier.yaml \
	--target "dist/dossier_${VERSION}_amd64.deb"
"$tools/nfpm" package --packager deb --config packaging/nfpm-dossierd.yaml \
	--target "dist/dossierd_${VERSION}_amd64.deb"

say "windows: dossier.exe (cgo, MinGW-w64; icon and version resource by fyne package)"
# fyne package -os windows writes fyne.syso (the icon, the manifest and the
# version information) and a metadata file into cmd/dossier, builds, and
# removes them; the executable lands there as Dossier.exe.
winexe=$root/cmd/dossier/dossier.exe
cleanup() {
	rm -f "$root/cmd/dossier/dossier.exe" "$root/cmd/dossier/Dossier.exe" "$root/cmd/dossier/fyne.syso" \
		"$root/cmd/dossier/dossier.exe.manifest" "$root/cmd/dossier/fyne_metadata_init.go"
}
trap cleanup EXIT
cleanup
# An executable already there makes fyne skip its first build, without the
# resource, and build once, with it (a second build would lose the -ldflags
# it takes from GOFLAGS).
: > "$winexe"
(
	export CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ GOOS=windows GOARCH=amd64 CGO_ENABLED=1
	export GOFLAGS="-trimpath -ldflags=-X=dossier/internal/version.Version=$VERSION -ldflags=-s -ldflags=-w"
	cd "$stage/fyne" && "$tools/fyne" package -os windows -src "$root/cmd/dossier" -executable "$winexe" \
		-name Dossier -app-id ca.dossier.desktop -app-version "$VERSION" -app-build "$BUILD" \
		-icon "$root/assets/icon.png" -tags migrated_fynedo
)
mv "$root/cmd/dossier/Dossier.exe" "$stage/windows/dossier.exe"
cleanup
say "windows: dossierd.exe, dossierctl.exe (pure Go)"
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $GO build -trimpath -tags migrated_fynedo -ldflags "$ldflags" \
	-o "$stage/windows/" ./cmd/dossierd ./cmd/dossierctl
zipdir=$stage/zip/dossier-$VERSION-windows-amd64
mkdir -p "$zipdir"
cp "$stage/windows/dossier.exe" "$stage/windows/dossierd.exe" "$stage/windows/dossierctl.exe" "$zipdir/"
cp LICENSE "$zipdir/LICENSE.txt"
(cd "$stage/zip" && zip -q -9 -r "$root/dist/dossier-$VERSION-windows-amd64.zip" "dossier-$VERSION-windows-amd64")

(cd dist && sha256sum -- * > SHA256SUMS)
say "done"
ls -l dist
