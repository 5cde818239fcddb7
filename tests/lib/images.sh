# shellcheck shell=bash
# images.sh - OCI images for the image tests and make bench, built here:
# no registry is reachable.  Sourced after tests/lib.sh (or with TOP set).
#
#   images_build DIR     in private Podman storage under DIR (the host's own
#                        Podman state is untouched): from a busybox rootfs
#                        (tests/lib/mkrootfs.sh) imported as ctest:base,
#                        `podman build --isolation chroot` of
#                          ctest:1    layers that add, delete a file (a
#                                     whiteout) and replace a directory
#                                     (opaque); ENTRYPOINT /app.sh, CMD,
#                                     ENV, WORKDIR, USER app (1000:1000),
#                                     STOPSIGNAL SIGUSR1
#                          ctest:2    ctest:1 with VERSION=2
#                          ctest:bad  ctest:1 whose ENTRYPOINT is missing
#                        Sets PM (podman with that storage) and CS (the
#                        containers-storage: prefix that names it for skopeo).
#   images_big DIR MB    ctest:big, ctest:1 plus MB of incompressible data
#   oci_layout DIR TAR... an OCI image layout at DIR with these layer tars
#                        (uncompressed) and a config that runs /bin/sh
#
# /app.sh prints one line:
#   greeting=$GREETING version=$VERSION user=UID:GID pwd=$PWD args=$*
# then note=<the lines of ./note so far, comma-separated>, and appends
# v$VERSION to ./note (the workdir /srv/app, owned by app).

images_build() {
	local dir=$1 ctx=$1/ctx
	PM="podman --root $dir/storage --runroot $dir/run --storage-driver overlay --cgroup-manager cgroupfs --events-backend none"
	CS="containers-storage:[overlay@$dir/storage+$dir/run]"
	mkdir -p "$ctx"
	sh "$TOP/tests/lib/mkrootfs.sh" "$dir/rootfs" >&2 || return 1
	tar -C "$dir/rootfs" -cf "$dir/base.tar" . || return 1
	$PM import "$dir/base.tar" localhost/ctest:base >/dev/null 2>"$dir/import.log" || { cat "$dir/import.log" >&2; return 1; }
	cat > "$ctx/app.sh" <<'SH'
#!/bin/sh
echo "greeting=$GREETING version=$VERSION user=$(id -u):$(id -g) pwd=$(pwd) args=$*"
echo "note=$(tr '\n' , < note 2>/dev/null)"
echo "v$VERSION" >> note 2>/dev/null
SH
	cat > "$ctx/Containerfile" <<'CF'
FROM localhost/ctest:base
RUN mkdir -p /srv/app /opt/data && echo old > /opt/data/old && echo bye > /etc/deleteme && \
    echo 'app:x:1000:1000:app:/srv/app:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group
RUN rm /etc/deleteme
RUN rm -rf /opt/data && mkdir /opt/data && echo new > /opt/data/new
COPY app.sh /app.sh
RUN chmod 0755 /app.sh && chown 1000:1000 /srv/app
ENV GREETING=hello VERSION=1
WORKDIR /srv/app
USER app
ENTRYPOINT ["/app.sh"]
CMD ["one", "two"]
STOPSIGNAL SIGUSR1
CF
	printf 'FROM localhost/ctest:1\nENV VERSION=2\nUSER root\nRUN echo 2 > /etc/app-version\nUSER app\n' > "$ctx/Containerfile.2"
	printf 'FROM localhost/ctest:1\nENTRYPOINT ["/missing"]\n' > "$ctx/Containerfile.bad"
	$PM build -q --isolation chroot -t localhost/ctest:1 -f "$ctx/Containerfile" "$ctx" >/dev/null &&
		$PM build -q --isolation chroot -t localhost/ctest:2 -f "$ctx/Containerfile.2" "$ctx" >/dev/null &&
		$PM build -q --isolation chroot -t localhost/ctest:bad -f "$ctx/Containerfile.bad" "$ctx" >/dev/null
}

images_big() {
	local dir=$1 mb=$2
	printf 'FROM localhost/ctest:1\nUSER root\nRUN dd if=/dev/urandom of=/opt/blob bs=1048576 count=%d 2>/dev/null && cp -a /bin/busybox /opt/busybox\nUSER app\n' \
		"$mb" > "$dir/ctx/Containerfile.big"
	$PM build -q --isolation chroot -t localhost/ctest:big -f "$dir/ctx/Containerfile.big" "$dir/ctx" >/dev/null
}

# sha256 of a file, bare
_sha() { sha256sum "$1" | cut -d' ' -f1; }

oci_layout() {
	local dir=$1 t d layers= diffs= cfg man
	shift
	mkdir -p "$dir/blobs/sha256"
	for t in "$@"; do
		d=$(_sha "$t")
		cp "$t" "$dir/blobs/sha256/$d"
		layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$d\",\"size\":$(wc -c < "$t")}"
		diffs="$diffs${diffs:+,}\"sha256:$d\""
	done
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$diffs" > "$dir/config"
	cfg=$(_sha "$dir/config")
	mv "$dir/config" "$dir/blobs/sha256/$cfg"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
		"$cfg" "$(wc -c < "$dir/blobs/sha256/$cfg")" "$layers" > "$dir/manifest"
	man=$(_sha "$dir/manifest")
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
		"$man" "$(wc -c < "$dir/manifest")" > "$dir/index.json"
	mv "$dir/manifest" "$dir/blobs/sha256/$man"
	echo '{"imageLayoutVersion":"1.0.0"}' > "$dir/oci-layout"
}
