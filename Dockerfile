# syntax=docker/dockerfile:1
#
# kith as a container: a static binary on distroless, run as a non-root user,
# its database on the /data volume.
#
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t kith .
#   docker run -d --name kith -v kith-data:/data -p 127.0.0.1:8080:8080 --env-file kith.env kith
#
# The image has no shell: the health check runs the binary itself.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so a code change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
# CGO off: a static binary for a base image without libc. timetzdata embeds
# the zone database, because owners' digests are scheduled in their own zones.
# -buildvcs=false: .git is not in the build context; VERSION says what was built.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags timetzdata \
      -ldflags "-s -w -X main.version=${VERSION}" -o /out/kith ./cmd/kith
# /data must exist and belong to the runtime user, so that a fresh named
# volume, which copies the image's directory, is writable.
RUN mkdir -p /out/data && chmod 0700 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kith /kith
COPY --from=build --chown=65532:65532 /out/data /data
# 65532 is distroless' "nonroot"; numeric, so Kubernetes' runAsNonRoot can check it.
USER 65532:65532
ENV KITH_DB=/data/kith.db \
    KITH_HTTP_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/kith", "healthcheck"]
ENTRYPOINT ["/kith"]
CMD ["serve"]
