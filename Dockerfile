# evsim in a container: one static binary on a distroless base.
#
#   docker build -t evsim .
#   docker run --rm evsim check
#
# The binary is built without cgo (CGO_ENABLED=0), so it needs no C library
# and runs on a base with nothing else. BASE picks the base image: the
# default has no shell; gcr.io/distroless/static-debian12:debug-nonroot
# adds a busybox shell (/busybox/sh), for jobs that redirect output, such
# as the Kubernetes example of the README.
ARG BASE=gcr.io/distroless/static-debian12:nonroot

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/evsim ./cmd/evsim

FROM ${BASE}
COPY --from=build /out/evsim /usr/local/bin/evsim
USER nonroot
ENTRYPOINT ["/usr/local/bin/evsim"]
CMD ["-h"]
