#!/bin/sh
# fetch-geoip.sh - installs the default GeoIP country database.
#
# Fetches the npm package @ip-location-db/geo-whois-asn-country-mmdb at a
# pinned version with `npm pack` (nothing is installed into node_modules),
# checks the database against a sha256 recorded here, and puts it at
# third_party/geoip/country.mmdb with its licence file and a NOTICE.
# The CMake build copies it to build/data/geoip/ and installs it to
# share/omsec/geoip/. Idempotent: does nothing when the right file is there.
#
# Usage: scripts/fetch-geoip.sh [DESTDIR]   (default: third_party/geoip)
# Exit status: 0 installed or already present, 1 on any failure.
set -eu

PKG=@ip-location-db/geo-whois-asn-country-mmdb
VERSION=2.3.2026061719
DB=geo-whois-asn-country.mmdb
# sha256 of $DB in $PKG@$VERSION, computed once when the version was pinned.
SHA256=c5f7c0e9bd6a6ccb5a2e9634764544a0d08bd0bd8788b8aedfac87bea184c652

top=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$top/third_party/geoip}

have_sha() {
	[ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA256" ]
}

if have_sha "$dest/country.mmdb" && [ -f "$dest/NOTICE" ] &&
    [ -f "$dest/NRO_LICENSE" ]; then
	echo "fetch-geoip: $dest/country.mmdb is up to date ($PKG@$VERSION)"
	exit 0
fi

command -v npm >/dev/null 2>&1 || {
	echo "fetch-geoip: npm not found (Debian: apt-get install npm)" >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null) || {
	echo "fetch-geoip: npm pack $PKG@$VERSION failed" >&2
	exit 1
}
tar -xzf "$tmp"/*.tgz -C "$tmp"
if ! have_sha "$tmp/package/$DB"; then
	echo "fetch-geoip: $DB from $PKG@$VERSION does not have sha256 $SHA256" >&2
	exit 1
fi

mkdir -p "$dest"
# Copy then rename, so an interrupted run never leaves half a database.
cp "$tmp/package/$DB" "$dest/country.mmdb.tmp"
cp "$tmp/package/NRO_LICENSE" "$dest/NRO_LICENSE"
cat >"$dest/NOTICE.tmp" <<NOTICE
country.mmdb - the default GeoIP country database of omsec

Source:  npm package $PKG@$VERSION, file $DB
         (https://github.com/sapics/ip-location-db, geo-whois-asn-country)
sha256:  $SHA256

Licence: the package's package.json says "CC0-1.0", but its README states
that the data (GeoFeed, RIR WHOIS and RIR ASN data) is licensed under
Creative Commons Attribution 4.0 International (CC BY 4.0) by the Number
Resource Organization (NRO), and the package ships NRO_LICENSE saying so.
omsec therefore treats this database as CC BY 4.0: attribution to the NRO
(https://www.nro.net/) is required wherever the data is redistributed or
shown, e.g. "IP geolocation data: ip-location-db, (c) NRO, CC BY 4.0".
https://creativecommons.org/licenses/by/4.0/

The package README also warns that data published to npm has known errors
and that updates through npm are deprecated; country results are a hint for
reports, not evidence.
NOTICE
mv "$dest/NOTICE.tmp" "$dest/NOTICE"
mv "$dest/country.mmdb.tmp" "$dest/country.mmdb"
echo "fetch-geoip: installed $dest/country.mmdb ($PKG@$VERSION)"
