// Package dockerfile loads a Dockerfile into a model that rules can judge:
// stages, instructions with their flags and source lines, base images with ARG
// values resolved, and the shell commands of every RUN, CMD, ENTRYPOINT and
// HEALTHCHECK parsed with mvdan.cc/sh. Each file is parsed once; the model is
// read-only afterwards, so rules can share it.
package dockerfile
