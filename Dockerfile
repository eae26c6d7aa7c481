# syntax=docker/dockerfile:1
# The operator image: this same binary, which the Deployment that
# `kubectl airforce install` creates runs as `run --leader-elect`.
#
#   docker build -t ghcr.io/airforce-mil/kubectl-airforce:v0.1.0 .
#
# Tag it v<crate version>: that is the image `install` deploys unless --image
# says otherwise.

FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
COPY crds ./crds
COPY src ./src
# Cache mounts keep the registry and compiled dependencies between builds; the
# binary is copied out because the target directory is not part of the layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin kubectl-airforce \
 && cp target/release/kubectl-airforce /usr/local/bin/kubectl-airforce

# glibc and libgcc only: the binary speaks TLS through rustls, so no OpenSSL.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /usr/local/bin/kubectl-airforce /usr/local/bin/kubectl-airforce
# The distroless nonroot user, numerically, so the kubelet can check runAsNonRoot.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["kubectl-airforce"]
CMD ["run", "--leader-elect"]
